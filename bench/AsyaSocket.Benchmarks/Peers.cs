using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// Helper processes the benchmarks start, so the process being measured holds only the code under test:
/// <c>peer receive SOCK</c>, a raw blocking Asya receiver (the same loop as uds_limit's <c>recv conn</c>), and
/// <c>peer send SOCK SENDERS SIZE</c>, a pool of raw blocking senders that sends as many messages as each line
/// on its stdin asks for.
/// </summary>
internal static class Peers
{
    public const string Verb = "peer";

    public static int Run(string[] args)
    {
        switch (args)
        {
            case ["receive", var socketPath]:
                Receive(socketPath);
                return 0;
            case ["send", var socketPath, var senders, var size]:
                Send(socketPath, int.Parse(senders), int.Parse(size));
                return 0;
            case [Limit.CorePeers.SendVerb, var mesh, var actor, var size, var seconds, var warmup, .. var bodyFile]:
                return Limit.CorePeers.SendAsync(mesh, actor, int.Parse(size), Seconds(seconds), Seconds(warmup), bodyFile.FirstOrDefault()).GetAwaiter().GetResult();
            case [Limit.CorePeers.ReceiveVerb, var mesh, var actor, .. var modes]:
                return Limit.CorePeers.ReceiveAsync(mesh, actor, modes).GetAwaiter().GetResult();
            case [Limit.BarePeers.SendVerb, var mesh, var actor, var size, var seconds, var warmup]:
                return Limit.BarePeers.Send(mesh, actor, int.Parse(size), Seconds(seconds), Seconds(warmup));
            case [Limit.BarePeers.ReceiveVerb, var mesh, var actor, .. var modes] when modes.All(m => m == "fresh"):
                return Limit.BarePeers.Receive(mesh, actor, fresh: modes.Length > 0);
            default:
                Console.Error.WriteLine("usage: peer receive SOCK | peer send SOCK SENDERS SIZE | peer core-send MESH ACTOR SIZE SECS WARMUP [BODYFILE] | peer core-recv MESH ACTOR [pooled] [inline] [explicit] [backpressure] | peer bare-send MESH ACTOR SIZE SECS WARMUP | peer bare-recv MESH ACTOR [fresh]");
                return 2;
        }
    }

    private static double Seconds(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One connection at a time, body read into a reused buffer, acked, closed; a zero-length frame stops it.</summary>
    private static void Receive(string socketPath)
    {
        File.Delete(socketPath);
        using var listener = RawFrames.NewSocket();
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(512);
        var header = new byte[4];
        var body = new byte[1 << 20];
        ReadOnlySpan<byte> ack = [RawFrames.Ack];
        try
        {
            while (true)
            {
                using var connection = listener.Accept();
                if (!RawFrames.ReceiveExactly(connection, header))
                {
                    continue;
                }

                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
                if (length > body.Length)
                {
                    body = new byte[length];
                }

                if (!RawFrames.ReceiveExactly(connection, body.AsSpan(0, length)))
                {
                    continue;
                }

                RawFrames.SendAll(connection, ack);
                if (length == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    /// <summary>Threads that share each requested batch; stdin closing ends the process.</summary>
    private static void Send(string socketPath, int senders, int size)
    {
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        var frame = RawFrames.Frame(size);
        var remaining = 0L;
        using var go = new SemaphoreSlim(0);
        for (var i = 0; i < senders; i++)
        {
            new Thread(() =>
            {
                while (true)
                {
                    go.Wait();
                    while (Interlocked.Decrement(ref remaining) >= 0)
                    {
                        try
                        {
                            RawFrames.SendSync(endPoint, frame);
                        }
                        catch (Exception error)
                        {
                            Console.Error.WriteLine($"sender: {error.Message}");
                            Environment.Exit(3);
                        }
                    }
                }
            })
            { IsBackground = true, Name = "sender " + i }.Start();
        }

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        while (Console.In.ReadLine() is { } line)
        {
            Interlocked.Exchange(ref remaining, long.Parse(line));
            go.Release(senders);
        }
    }
}

/// <summary>A helper process, killed on dispose if it has not exited; its output is kept for error messages.</summary>
internal sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    public StreamWriter Input => _process.StandardInput;

    public StreamReader Output => _process.StandardOutput;

    public bool HasExited => _process.HasExited;

    /// <summary>This executable in a peer role (<c>dotnet AsyaSocket.Benchmarks.dll peer ...</c>, or the apphost).</summary>
    public static PeerProcess StartSelf(params string[] peerArgs) => Start(SelfCommand(peerArgs));

    /// <summary>The command line that runs this executable in a peer role.</summary>
    public static (string FileName, IEnumerable<string> Args) SelfCommand(params string[] peerArgs)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            args.Add(typeof(Peers).Assembly.Location);
        }

        args.Add(Peers.Verb);
        args.AddRange(peerArgs);
        return (host, args);
    }

    public static PeerProcess Start((string FileName, IEnumerable<string> Args) command, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(command.FileName, command.Args, environment);

    /// <summary>Starts <paramref name="fileName"/> with this process's environment, plus <paramref name="environment"/> when given.</summary>
    public static PeerProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var peer = new PeerProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return peer;
    }

    public string Describe()
    {
        lock (_stderr)
        {
            return $"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}"
                + (_process.HasExited ? $" exited with {_process.ExitCode}" : " is running")
                + (_stderr.Length > 0 ? $"; stderr: {_stderr.ToString().Trim()}" : string.Empty);
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
