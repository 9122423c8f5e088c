using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace AsyaSocket.Testing;

/// <summary>What stat(1) says of a path, without following a final symbolic link.</summary>
public sealed record FileStat(ulong Inode, string Type, UnixFileMode Mode, uint Uid, uint Gid)
{
    public bool IsSocket => Type == "socket";
}

/// <summary>
/// Facts about this process and the file system, found independently of the core under test:
/// /proc/self/status and the coreutils stat and test commands.
/// </summary>
public static class Unix
{
    private static readonly Lazy<Dictionary<string, string>> Status = new(ReadStatus);

    /// <summary>The unprivileged user the permission tests run a peer as.</summary>
    public const uint Nobody = 65534;

    /// <summary>The effective user id.</summary>
    public static uint EffectiveUserId => uint.Parse(Status.Value["Uid"].Split('\t', ' ')[1], CultureInfo.InvariantCulture);

    /// <summary>The effective group id.</summary>
    public static uint EffectiveGroupId => uint.Parse(Status.Value["Gid"].Split('\t', ' ')[1], CultureInfo.InvariantCulture);

    /// <summary>True when running as root, which bypasses file permission checks.</summary>
    public static bool IsRoot => EffectiveUserId == 0;

    /// <summary>The process umask.</summary>
    public static UnixFileMode Umask => (UnixFileMode)Convert.ToInt32(Status.Value["Umask"].Trim(), 8);

    /// <summary>The setpriv tool (util-linux), when installed.</summary>
    public static string? SetprivPath { get; } = new[] { "/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv" }.FirstOrDefault(File.Exists);

    /// <summary>A file mode from its octal text ("755").</summary>
    public static UnixFileMode Mode(string octal) => (UnixFileMode)Convert.ToInt32(octal, 8);

    /// <summary>
    /// Why a test that runs a peer as another user (root and setpriv needed) must be skipped here, or null when it can
    /// run; <paramref name="notRoot"/> is the reason given to a normal user.
    /// </summary>
    public static string? AnotherUserSkipReason(string notRoot) =>
        !IsRoot ? notRoot
        : SetprivPath is null ? "Needs setpriv (util-linux) to start a peer as another user."
        : null;

    /// <summary>stat(1) of <paramref name="path"/> (links not followed); null when nothing is there.</summary>
    public static FileStat? Stat(string path)
    {
        var (exitCode, output) = Run("stat", "-c", "%i|%F|%a|%u|%g", "--", path);
        if (exitCode != 0)
        {
            return null;
        }

        var parts = output.Trim().Split('|');
        return new FileStat(
            ulong.Parse(parts[0], CultureInfo.InvariantCulture),
            parts[1],
            Mode(parts[2]),
            uint.Parse(parts[3], CultureInfo.InvariantCulture),
            uint.Parse(parts[4], CultureInfo.InvariantCulture));
    }

    /// <summary><c>test -S</c>: the check the reference component suite uses to see that an actor is up.</summary>
    public static bool IsSocket(string path) => Run("test", "-S", path).ExitCode == 0;

    /// <summary>
    /// Leaves a socket file at <paramref name="path"/> that nobody listens on, as a crashed actor does.
    /// (.NET deletes the file it bound when the socket is disposed, so bind elsewhere, rename, then dispose.)
    /// </summary>
    public static void CreateStaleSocket(string path)
    {
        var temporary = Path.Join(Path.GetDirectoryName(path), ".st" + Guid.NewGuid().ToString("N")[..6]);
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            socket.Bind(new UnixDomainSocketEndPoint(temporary));
            socket.Listen(1);
            File.Move(temporary, path);
        }

        Assert.True(IsSocket(path), "the stale socket file should remain after its socket closed");
    }

    /// <summary>Runs a tool to completion (bounded); returns its exit code and its standard output.</summary>
    public static (int ExitCode, string Output) Run(string fileName, params string[] args)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo)!;
        // Both streams drain at once, so a tool that fills its stderr pipe cannot stall.
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            Assert.Fail($"{fileName} did not finish");
        }

        _ = error.Result;
        return (process.ExitCode, output.Result);
    }

    private static Dictionary<string, string> ReadStatus() => File.ReadLines("/proc/self/status")
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2)
        .ToDictionary(parts => parts[0], parts => parts[1].Trim());
}
