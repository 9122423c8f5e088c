using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace AsyaSocket.Testing;

/// <summary>
/// A helper program (the core tests' peer, the reliability harness) running as a separate process. Its stdout lines
/// are read as they come; every wait is bounded; disposing kills it (SIGKILL) if it still runs.
/// </summary>
public abstract class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _role;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _transcript = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts <paramref name="startInfo"/>; <paramref name="role"/> ("peer", "harness") names it in failure messages.</summary>
    protected ChildProcess(ProcessStartInfo startInfo, string role)
    {
        _role = role;
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

    /// <summary>The dotnet host running these tests (the SDK sets DOTNET_HOST_PATH for child processes).</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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
            Assert.Fail($"The {_role} printed nothing more within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        Assert.Fail($"The {_role}'s output ended (exit code {ExitCodeText()}).\n{Transcript()}");
        return null!;
    }

    /// <summary>Every remaining line until the process closes its output.</summary>
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
            Assert.Fail($"The {_role} did not finish within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
        }

        return lines;
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
            Assert.Fail($"The {_role} did not exit within {(limit ?? Bounds.Hang).TotalSeconds} s.\n{Transcript()}");
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

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Transcript()
    {
        lock (_transcript)
        {
            return $"--- {_role} transcript ({string.Join(' ', _process.StartInfo.ArgumentList)}) ---\n{_transcript}";
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The next line, which must start with <paramref name="prefix"/>; returns the rest of it.</summary>
    protected async Task<string> ExpectLineAsync(string prefix, TimeSpan? limit)
    {
        var line = await NextLineAsync(limit);
        Assert.True(line.StartsWith(prefix, StringComparison.Ordinal), $"Expected a line starting with '{prefix}', got '{line}'.\n{Transcript()}");
        return line[prefix.Length..];
    }

    /// <summary>A start for <paramref name="fileName"/> with <paramref name="args"/>, both output streams redirected, without the dotnet banner or telemetry.</summary>
    protected static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args)
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
        return startInfo;
    }

    private string ExitCodeText()
    {
        try
        {
            return _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    private void Record(string stream, string line)
    {
        lock (_transcript)
        {
            _transcript.Append(stream).Append(": ").AppendLine(line);
        }
    }
}
