using System.Diagnostics;
using System.Net.Sockets;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// The peer of the round-trip benchmark: a fast, minimal Asya receiver in a process of its own, so that it
/// neither shares the measured process's thread pool nor its GC, and the baseline and the core talk to the
/// very same receiver.
/// <list type="bullet">
/// <item><c>c</c>: <c>uds_limit recv conn</c>, the independent C implementation of the exchange (the fastest peer
/// there is: blocking calls, no allocation). Its source is not part of this repository: it is looked up in
/// <c>ASYA_BENCH_UDS_LIMIT_C</c>, else in <c>shared/bench/uds_limit.c</c> beside any parent directory (the
/// team's checkout layout), and compiled with gcc into a temporary directory once per run.</item>
/// <item><c>dotnet</c>: <c>peer receive</c> of this executable, the same loop in C# (fallback when gcc or the C
/// file is missing).</item>
/// </list>
/// <c>ASYA_BENCH_RECEIVER=c|dotnet</c> forces one; the default is <c>c</c> when it can be built.
/// </summary>
internal sealed class RoundTripReceiver : IDisposable
{
    private static readonly Lazy<string?> CReceiverBinary = new(BuildCReceiver);

    private readonly PeerProcess _process;

    private RoundTripReceiver(PeerProcess process, string kind, string socketPath)
    {
        _process = process;
        Kind = kind;
        SocketPath = socketPath;
    }

    public string Kind { get; }

    public string SocketPath { get; }

    public static RoundTripReceiver Start(string socketPath)
    {
        var wanted = Environment.GetEnvironmentVariable("ASYA_BENCH_RECEIVER") is { Length: > 0 } forced ? forced : "c";
        PeerProcess process;
        string kind;
        if (wanted == "c" && CReceiverBinary.Value is { } binary)
        {
            process = PeerProcess.Start(binary, ["recv", "conn", socketPath]);
            kind = "c";
        }
        else if (wanted is "c" or "dotnet")
        {
            process = PeerProcess.StartSelf("receive", socketPath);
            kind = "dotnet";
        }
        else
        {
            throw new InvalidOperationException($"ASYA_BENCH_RECEIVER must be 'c' or 'dotnet', not '{wanted}'.");
        }

        try
        {
            RawFrames.WaitUntilServing(socketPath, TimeSpan.FromSeconds(20), process.Describe);
        }
        catch
        {
            process.Dispose();
            throw;
        }

        Console.Error.WriteLine($"// round-trip receiver: {kind} ({process.Describe()})");
        return new RoundTripReceiver(process, kind, socketPath);
    }

    /// <summary>A zero-length frame stops both receivers; a receiver that does not stop is killed.</summary>
    public void Dispose()
    {
        try
        {
            RawFrames.SendSync(new UnixDomainSocketEndPoint(SocketPath), RawFrames.Frame(0));
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (Exception error) when (error is SocketException or InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static string? BuildCReceiver()
    {
        var source = FindCSource();
        if (source is null)
        {
            Console.Error.WriteLine("// uds_limit.c not found (set ASYA_BENCH_UDS_LIMIT_C); using the C# receiver");
            return null;
        }

        var directory = Directory.CreateTempSubdirectory("asya-bench-c");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => directory.Delete(recursive: true);
        var binary = Path.Join(directory.FullName, "uds_limit");
        try
        {
            var info = new ProcessStartInfo("gcc", ["-O2", "-o", binary, source]) { UseShellExecute = false, RedirectStandardError = true };
            using var gcc = Process.Start(info)!;
            var errors = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            if (gcc.ExitCode != 0)
            {
                Console.Error.WriteLine($"// gcc failed ({errors.Trim()}); using the C# receiver");
                return null;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("// gcc not found; using the C# receiver");
            return null;
        }

        Console.Error.WriteLine($"// built the C receiver from {source}");
        return binary;
    }

    private static string? FindCSource()
    {
        if (Environment.GetEnvironmentVariable("ASYA_BENCH_UDS_LIMIT_C") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Join(directory.FullName, "shared", "bench", "uds_limit.c");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
