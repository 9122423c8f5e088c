using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// The reliability harness (tests/AsyaSocket.Reliability.Harness) as a separate process: `dotnet &lt;test output&gt;/AsyaSocket.Reliability.Harness.dll`.
/// Its stdout lines are read as they come; every wait is bounded; disposing kills it (SIGKILL) if it still runs.
/// (Adapted from the core tests' PeerProcess.)
/// </summary>
public sealed class HarnessProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HarnessProcess(ProcessStartInfo startInfo)
    {
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
                _stdoutClosed.TrySetResult();
                return;
            }

            Record("out", e.Data);
            _lines.Writer.TryWrite(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _stderrClosed.TrySetResult();
                return;
            }

            Record("err", e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The harness's main assembly, next to the tests (a project reference).</summary>
    public static string HarnessDll { get; } = Path.Combine(AppContext.BaseDirectory, "AsyaSocket.Reliability.Harness.dll");

    /// <summary>The dotnet host running these tests.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the harness with <paramref name="args"/>.</summary>
    public static HarnessProcess Start(params string[] args) => new(StartInfo(DotnetHost, [HarnessDll, .. args], null));

    /// <summary>Starts the harness with extra environment variables.</summary>
    public static HarnessProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(StartInfo(DotnetHost, [HarnessDll, .. args], environment));

    /// <summary>Starts the harness as another user (uid and gid <paramref name="uid"/>, no supplementary groups) through setpriv; needs root.</summary>
    public static HarnessProcess StartAsUser(uint uid, params string[] args) =>
        new(StartInfo(Unix.SetprivPath!, [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", DotnetHost, SharedHarnessDll.Value, .. args], null));

    /// <summary>
    /// A copy of the harness that any user can read and run: the checkout (and so the test output) may sit in a
    /// directory only its owner can enter, such as a private temporary directory on a CI machine.
    /// </summary>
    private static readonly Lazy<string> SharedHarnessDll = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("rlh").FullName;
        File.SetUnixFileMode(directory, Unix.Mode("755"));
        foreach (var file in new[] { "AsyaSocket.Reliability.Harness.dll", "AsyaSocket.Reliability.Harness.runtimeconfig.json", "AsyaSocket.Reliability.Harness.deps.json", "AsyaSocket.Core.dll" })
        {
            var copy = Path.Combine(directory, file);
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), copy);
            File.SetUnixFileMode(copy, Unix.Mode("644"));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return Path.Combine(directory, "AsyaSocket.Reliability.Harness.dll");
    });

    /// <summary>Starts the harness under /bin/sh with the given umask (octal text).</summary>
    public static HarnessProcess StartWithUmask(string umask, params string[] args) =>
        new(StartInfo("/bin/sh", ["-c", $"umask {umask} && exec \"$0\" \"$@\"", DotnetHost, HarnessDll, .. args], null));

    /// <summary>The next stdout line; fails (with the transcript) when none comes within <paramref name="limit"/> or the process exited.</summary>
    public async Task<string> NextLineAsync(TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? Bounds.Hang);
        try
        {
            if (await _lines.Reader.WaitToReadAsync(timeout.Token) && _lines.Reader.TryRead(out var line))
            {
                return line;
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The harness printed nothing more within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        Assert.Fail($"The harness's output ended.\n{Transcript()}");
        return null!;
    }

    /// <summary>The next line, which must start with <paramref name="prefix"/>; returns the rest of it.</summary>
    public async Task<string> ExpectAsync(string prefix, TimeSpan? limit = null)
    {
        var line = await NextLineAsync(limit);
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal), $"Expected a line starting with '{prefix}', got '{line}'.\n{Transcript()}");
        return line[prefix.Length..];
    }

    /// <summary>Waits for the process to exit and returns its exit code; kills it and fails when it does not exit in time.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? Bounds.Hang);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(Bounds.Hang);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"The harness did not exit within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process at once with SIGKILL, as a crash would, and waits until it is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public string Transcript()
    {
        lock (_transcript)
        {
            return $"--- harness transcript ({string.Join(' ', _process.StartInfo.ArgumentList)}) ---\n{_transcript}";
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        // A peer run as another user cannot write root's home; nothing it does needs one.
        startInfo.Environment["HOME"] = Path.GetTempPath();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private void Record(string stream, string line)
    {
        lock (_transcript)
        {
            _transcript.Append(stream).Append(": ").AppendLine(line);
        }
    }
}
