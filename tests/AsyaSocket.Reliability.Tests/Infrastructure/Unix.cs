using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace AsyaSocket.Reliability.Tests;

/// <summary>What stat(1) says of a path, without following a final symbolic link.</summary>
public sealed record FileStat(ulong Inode, string Type, UnixFileMode Mode, uint Uid)
{
    public bool IsSocket => Type == "socket";
}

/// <summary>Facts about this process and the file system found independently of the core: /proc/self/status and coreutils.</summary>
public static class Unix
{
    public static uint EffectiveUserId { get; } = uint.Parse(
        File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2],
        CultureInfo.InvariantCulture);

    public static bool IsRoot => EffectiveUserId == 0;

    /// <summary>The unprivileged user the permission tests run a peer as.</summary>
    public const uint Nobody = 65534;

    public static string? SetprivPath { get; } = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists);

    public static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    /// <summary>stat(1) of <paramref name="path"/> (links not followed); null when nothing is there.</summary>
    public static FileStat? Stat(string path)
    {
        var (exitCode, output) = Run("stat", "-c", "%i|%F|%a|%u", "--", path);
        if (exitCode != 0)
        {
            return null;
        }

        var parts = output.Trim().Split('|');
        return new FileStat(ulong.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], Mode(parts[2]), uint.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Leaves a socket file at <paramref name="path"/> that nobody listens on, as a crashed actor does.</summary>
    public static void CreateStaleSocket(string path)
    {
        var temporary = Path.Join(Path.GetDirectoryName(path), ".st" + Guid.NewGuid().ToString("N")[..6]);
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(temporary));
            socket.Listen(1);
            File.Move(temporary, path);
        }

        Assert.Equal("socket", Stat(path)?.Type);
    }

    public static (int ExitCode, string Output) Run(string fileName, params string[] args)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            Assert.Fail($"{fileName} did not finish");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}

/// <summary>A fact that needs root and setpriv, to run a peer as another user; skipped (visibly, saying why) otherwise.</summary>
public sealed class AsAnotherUserFactAttribute : FactAttribute
{
    public AsAnotherUserFactAttribute()
    {
        if (!Unix.IsRoot)
        {
            Skip = "Needs root to start a peer as another user (setpriv); as a normal user, socket permissions are covered by the core tests' MeshInspector cases.";
        }
        else if (Unix.SetprivPath is null)
        {
            Skip = "Needs setpriv (util-linux) to start a peer as another user.";
        }
    }
}

/// <summary>The theory form of <see cref="AsAnotherUserFactAttribute"/>.</summary>
public sealed class AsAnotherUserTheoryAttribute : TheoryAttribute
{
    public AsAnotherUserTheoryAttribute()
    {
        Skip = new AsAnotherUserFactAttribute().Skip;
    }
}
