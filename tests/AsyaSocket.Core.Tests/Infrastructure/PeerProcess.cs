using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// The test peer (tests/AsyaSocket.TestPeer) running as a separate process: `dotnet &lt;test output&gt;/testpeer/AsyaSocket.TestPeer.dll`.
/// Its stdout lines are read as they come; every wait is bounded, and disposing kills it if it is still running.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    /// <summary>The peer exits on its own after this, whatever happens to the test.</summary>
    private static readonly TimeSpan SelfDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PeerProcess(ProcessStartInfo startInfo)
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

    /// <summary>The peer's main assembly, copied next to the tests by the test project.</summary>
    public static string PeerDll { get; } = Path.Combine(AppContext.BaseDirectory, "testpeer", "AsyaSocket.TestPeer.dll");

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for child processes).</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Starts the peer with <paramref name="args"/>.</summary>
    public static PeerProcess Start(params string[] args) => new(StartInfo(DotnetHost, [PeerDll, .. args]));

    /// <summary>Starts the peer as another user (uid and gid <paramref name="uid"/>) through setpriv; needs root.</summary>
    public static PeerProcess StartAsUser(uint uid, params string[] args)
    {
        var startInfo = StartInfo(Unix.SetprivPath ?? "setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", DotnetHost, PeerDll, .. args]);
        startInfo.Environment["HOME"] = Path.GetTempPath();
        return new PeerProcess(startInfo);
    }

    /// <summary>The next stdout line; fails (with the transcript) when none comes within <paramref name="limit"/> or the peer exited.</summary>
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
            Assert.Fail($"The peer printed nothing more within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        Assert.Fail($"The peer's output ended (exit code {ExitCodeText()}).\n{Transcript()}");
        return null!;
    }

    /// <summary>The next line, which must start with <paramref name="prefix"/>; returns the words after the prefix.</summary>
    public async Task<string[]> ExpectAsync(string prefix, TimeSpan? limit = null)
    {
        var line = await NextLineAsync(limit);
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal), $"Expected a line starting with '{prefix}', got '{line}'.\n{Transcript()}");
        return line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Waits for "READY &lt;path&gt;" and returns the path.</summary>
    public async Task<string> ReadyAsync() => string.Join(' ', await ExpectAsync("READY "));

    /// <summary>Every remaining line until the peer closes its output.</summary>
    public async Task<List<string>> RemainingLinesAsync(TimeSpan? limit = null)
    {
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(limit ?? Bounds.Hang);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(timeout.Token))
            {
                lines.Add(line);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The peer did not finish within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        return lines;
    }

    /// <summary>Waits for the peer to exit and returns its exit code; kills it and fails when it does not exit in time.</summary>
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
            Assert.Fail($"The peer did not exit within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the peer at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>What the peer printed so far, for failure messages.</summary>
    public string Transcript()
    {
        lock (_transcript)
        {
            return $"--- peer transcript ({string.Join(' ', _process.StartInfo.ArgumentList)}) ---\n{_transcript}";
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.ArgumentList.Add("--deadline-ms");
        startInfo.ArgumentList.Add(((int)SelfDeadline.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        return startInfo;
    }

    private void Record(string stream, string line)
    {
        lock (_transcript)
        {
            _transcript.Append(stream).Append(": ").AppendLine(line);
        }
    }

    private string ExitCodeText()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
