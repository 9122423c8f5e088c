using System.Diagnostics;
using System.Globalization;
using AsyaSocket.Core.Sockets;

namespace AsyaSocket.Reliability.Load;

/// <summary>How a load run is set up.</summary>
public sealed record LoadOptions
{
    public int Senders { get; init; } = 16;
    public int Messages { get; init; } = 10_000;
    public int MinSize { get; init; } = 64;
    public int MaxSize { get; init; } = 1024 * 1024;
    public int Seed { get; init; } = 1;
    /// <summary>The listener's buffer (messages held before acks stop).</summary>
    public int BufferCapacity { get; init; } = 64;
    /// <summary>The consumer pauses 1 ms after every this many messages, so it is slower than the senders.</summary>
    public int ConsumerPauseEvery { get; init; } = 2;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// The listening side of the load run: one listener (acks when buffered), a consumer slower than the senders, and
/// the senders in a child process (<see cref="LoadSenders"/>). Checks that every message arrives exactly once, intact
/// and in order per sender, that every acked message reached the consumer, and reports the buffer's fill, peak RSS
/// against the bound the buffer sets, and the senders' latency. Prints "LOAD-RESULT pass|fail ...".
/// </summary>
public static class LoadRun
{
    public static async Task<int> RunAsync(LoadOptions options, string? meshPath = null)
    {
        var ownsMesh = meshPath is null;
        meshPath ??= Directory.CreateTempSubdirectory("ld").FullName;
        var problems = new List<string>();
        try
        {
            var mesh = new MeshDirectory(meshPath);
            await using var listener = SocketListener.Start(mesh, "load", new SocketListenerOptions { BufferCapacity = options.BufferCapacity });
            GC.Collect();
            var baselineRss = ProcessMemory.CurrentRss;
            var expectedTotal = (long)options.Senders * options.Messages;
            var nextIndex = new int[options.Senders];
            long received = 0, receivedBytes = 0, corrupt = 0, outOfOrder = 0;
            long samples = 0, fullSamples = 0, maxBuffered = 0, peakHeap = 0;
            using var stop = new CancellationTokenSource(options.Deadline);

            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var buffered = listener.Counters.Buffered;
                    samples++;
                    fullSamples += buffered >= options.BufferCapacity ? 1 : 0;
                    maxBuffered = Math.Max(maxBuffered, buffered);
                    peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                    try
                    {
                        await Task.Delay(10, stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            });

            var clock = Stopwatch.StartNew();
            using var senders = StartSenders(meshPath, options);
            var senderOutput = senders.StandardOutput.ReadToEndAsync();
            var senderErrors = senders.StandardError.ReadToEndAsync();

            // If the senders exit before everything arrived, stop waiting once nothing more comes.
            var watchdog = Task.Run(async () =>
            {
                await senders.WaitForExitAsync(stop.Token).ConfigureAwait(false);
                long seen;
                do
                {
                    seen = Interlocked.Read(ref received);
                    await Task.Delay(TimeSpan.FromSeconds(3), stop.Token).ConfigureAwait(false);
                }
                while (Interlocked.Read(ref received) != seen);
                await stop.CancelAsync().ConfigureAwait(false);
            });

            try
            {
                while (received < expectedTotal)
                {
                    var message = await listener.ReceiveAsync(stop.Token).ConfigureAwait(false);
                    Interlocked.Increment(ref received);
                    if (received % 20_000 == 0)
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress: {received} messages, {clock.Elapsed.TotalSeconds:0} s, peak RSS {ProcessMemory.Mib(ProcessMemory.PeakRss)} MiB"));
                    }

                    receivedBytes += message.Length;
                    if (!LoadBody.TryRead(message.Body.Span, out var sender, out var index) || sender >= options.Senders)
                    {
                        corrupt++;
                    }
                    else if (index != nextIndex[sender])
                    {
                        outOfOrder++;
                        if (problems.Count < 10)
                        {
                            problems.Add($"sender {sender}: got message {index}, expected {nextIndex[sender]}");
                        }

                        nextIndex[sender] = Math.Max(nextIndex[sender], index + 1);
                    }
                    else
                    {
                        nextIndex[sender]++;
                    }

                    if (options.ConsumerPauseEvery > 0 && received % options.ConsumerPauseEvery == 0)
                    {
                        await Task.Delay(1, stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                problems.Add(senders.HasExited
                    ? $"the senders exited after {received} of {expectedTotal} messages arrived"
                    : $"deadline of {options.Deadline.TotalMinutes:0} min reached after {received} of {expectedTotal} messages");
            }

            var consumed = clock.Elapsed;
            if (!senders.WaitForExit((int)TimeSpan.FromMinutes(2).TotalMilliseconds))
            {
                senders.Kill(entireProcessTree: true);
                problems.Add("the sender process did not exit");
            }

            var senderLines = (await senderOutput.ConfigureAwait(false)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var stderr = await senderErrors.ConfigureAwait(false);
            if (senders.ExitCode != 0)
            {
                problems.Add($"the senders exited with {senders.ExitCode}: {string.Join(" | ", senderLines.Where(line => !line.Contains(" errors 0", StringComparison.Ordinal)))} {stderr}");
            }

            // Nothing more may arrive after the last expected message (a duplicate would).
            await Task.Delay(200).ConfigureAwait(false);
            var extra = listener.DrainBuffered().Count;
            await stop.CancelAsync().ConfigureAwait(false);
            await sampler.ConfigureAwait(false);
            try
            {
                await watchdog.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            var counters = listener.Counters;
            for (var sender = 0; sender < options.Senders; sender++)
            {
                if (nextIndex[sender] != options.Messages)
                {
                    problems.Add($"sender {sender}: {nextIndex[sender]} of {options.Messages} messages arrived");
                }
            }

            if (corrupt > 0)
            {
                problems.Add($"{corrupt} message(s) failed the integrity check");
            }

            if (extra > 0 || received != expectedTotal || counters.Received != expectedTotal || counters.Acked != expectedTotal)
            {
                problems.Add($"expected {expectedTotal} messages received and acked once; consumer got {received} (+{extra} extra), listener counted {counters.Received} received, {counters.Acked} acked");
            }

            if (counters.RejectedTotal > 0 || counters.AckFailed > 0)
            {
                problems.Add($"rejections {counters.RejectedTotal}, ack failures {counters.AckFailed}");
            }

            if (fullSamples == 0)
            {
                problems.Add("the buffer was never full: the consumer was not slower than the senders, so backpressure was not exercised");
            }

            var peakRss = ProcessMemory.PeakRss;
            var bound = (long)(options.BufferCapacity + options.Senders) * options.MaxSize;
            var sent = senderLines.LastOrDefault(line => line.StartsWith("SENT ", StringComparison.Ordinal)) ?? "SENT (none)";
            var passed = problems.Count == 0 && outOfOrder == 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"LOAD-RESULT {(passed ? "pass" : "fail")} senders {options.Senders} messages {received} bytes {receivedBytes} seconds {consumed.TotalSeconds:0.0} "
                + $"buffer {options.BufferCapacity} max-buffered {maxBuffered} full-samples {fullSamples}/{samples} "
                + $"baseline-rss-mib {ProcessMemory.Mib(baselineRss)} peak-rss-mib {ProcessMemory.Mib(peakRss)} peak-heap-mib {ProcessMemory.Mib(peakHeap)} "
                + $"body-bound-mib {ProcessMemory.Mib(bound)} out-of-order {outOfOrder}"));
            Console.WriteLine(sent);
            foreach (var problem in problems)
            {
                Console.WriteLine("PROBLEM " + problem);
            }

            return passed ? 0 : 1;
        }
        finally
        {
            if (ownsMesh)
            {
                try
                {
                    Directory.Delete(meshPath, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static Process StartSenders(string meshPath, LoadOptions options)
    {
        var startInfo = SelfStartInfo();
        foreach (var arg in new[]
        {
            "load-send", meshPath, "load",
            "--senders", Text(options.Senders), "--messages", Text(options.Messages),
            "--min", Text(options.MinSize), "--max", Text(options.MaxSize), "--seed", Text(options.Seed),
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        return Process.Start(startInfo)!;
    }

    /// <summary>A start info that runs this harness again (through the dotnet host when that is how it runs now).</summary>
    public static ProcessStartInfo SelfStartInfo()
    {
        var host = Environment.ProcessPath!;
        var startInfo = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(LoadRun).Assembly.Location);
        }

        // The GC limit a test may set for the listener is not the senders' business.
        startInfo.Environment.Remove("DOTNET_GCHeapHardLimit");
        return startInfo;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
