using System.Diagnostics;
using System.Globalization;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// The core's halves of the exchange, each in a process of its own so the figures belong to one side:
/// <c>core-send MESH ACTOR SIZE SECS WARMUP [BODYFILE]</c> loops over <see cref="SocketSender.SendAsync"/> and
/// prints the same RESULT line as the C peer; <c>core-recv MESH ACTOR [pooled] [inline] [explicit] [backpressure]</c> runs a
/// <see cref="SocketListener"/> with a consumer taking every message until a zero-length one, then prints its peak RSS. With
/// <c>pooled</c> the listener lends pooled bodies (<see cref="SocketListenerOptions.PooledBodies"/>) and the consumer disposes
/// each message; with <c>inline</c> the consumer runs on the listener's thread (<see cref="ListenOptions.InlineDelivery"/>);
/// with <c>explicit</c> it acknowledges each message itself (<see cref="AckPolicy.Explicit"/>), as Receive-AsyaMessage does;
/// with <c>backpressure</c> the buffer holds one message, so a message that arrives before the consumer took the last one
/// waits for room: the cost of backpressure, which a consumer slower than its senders pays for every message.
/// </summary>
internal static class CorePeers
{
    public const string SendVerb = "core-send";
    public const string ReceiveVerb = "core-recv";

    public static async Task<int> SendAsync(string meshPath, string actor, int size, double seconds, double warmup, string? bodyFile)
    {
        var body = bodyFile is null ? Body(size) : await File.ReadAllBytesAsync(bodyFile);
        var sender = new SocketSender(new MeshDirectory(meshPath));
        await sender.SendAsync(actor, body); // dials until the receiver is up
        // At least the warm-up, then until this process and a .NET receiver (its warm file) stopped compiling; 30 s at most.
        var warmFrom = Stopwatch.GetTimestamp();
        var jit = new JitQuiet();
        while (jit.KeepWarming(warmFrom, warmup))
        {
            for (var i = 0; i < 64; i++)
            {
                await sender.SendAsync(actor, body);
            }
        }

        var warm = Stopwatch.GetElapsedTime(warmFrom).TotalSeconds;

        var log = new LatencyLog(seconds);
        long before;
        do
        {
            before = Stopwatch.GetTimestamp();
            await sender.SendAsync(actor, body);
        }
        while (log.Add(before));

        Console.WriteLine(log.Result("core", body.Length, warm));
        return 0;
    }

    public static async Task<int> ReceiveAsync(string meshPath, string actor, IReadOnlyCollection<string> modes)
    {
        var settle = modes.Contains("explicit");
        var options = new SocketListenerOptions
        {
            PooledBodies = modes.Contains("pooled"),
            InlineDelivery = modes.Contains("inline"),
            AckPolicy = settle ? AckPolicy.Explicit : AckPolicy.WhenBuffered,
        };
        var listener = SocketListener.Start(new MeshDirectory(meshPath), actor, modes.Contains("backpressure") ? options with { BufferCapacity = 1 } : options);
        long messages = 0;
        long bodyBytes = 0;
        long allocatedAtFirst = 0;
        await foreach (var message in listener.ReadAllAsync())
        {
            var length = message.Length;
            if (settle)
            {
                await listener.AcknowledgeAsync(message);
            }

            message.Dispose();
            if (length == 0)
            {
                break;
            }

            // Allocation is counted from the first message on, so start-up is left out.
            if (messages++ == 0)
            {
                allocatedAtFirst = GC.GetTotalAllocatedBytes(precise: true);
                _ = JitQuiet.AnnounceWhenQuietAsync(CancellationToken.None);
            }
            else
            {
                bodyBytes += length;
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtFirst;
        var (gen0, gen2) = (GC.CollectionCount(0), GC.CollectionCount(2));
        // Garbage and what is still held tell apart a heap that grows from one that leaks: the heap as the last
        // collection left it, then what a full collection keeps while the listener is still open (counted apart
        // from the run's collections above).
        var heapKib = GC.GetGCMemoryInfo().HeapSizeBytes / 1024;
        var liveKib = GC.GetTotalMemory(forceFullCollection: true) / 1024;
        await listener.DisposeAsync();
        var perMessage = messages > 1 ? allocated / (double)(messages - 1) : 0;
        var bodyPerMessage = messages > 1 ? bodyBytes / (double)(messages - 1) : 0;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"RSS impl=core messages={messages} peak_kib={Status("VmHWM")} file_kib={Status("RssFile")} gen0_budget_kib={Gen0BudgetKib()} gen0={gen0} gen2={gen2} heap_kib={heapKib} live_kib={liveKib} alloc_per_msg={perMessage:F0} body_per_msg={bodyPerMessage:F0}"));
        return 0;
    }

    /// <summary>The same body the C peer sends: a repeating alphabet.</summary>
    public static byte[] Body(int size)
    {
        var body = new byte[size];
        for (var i = 0; i < size; i++)
        {
            body[i] = (byte)('a' + (i % 26));
        }

        return body;
    }

    /// <summary>
    /// A field of /proc/self/status in KiB: VmHWM, the most resident memory the process ever had; RssFile, the part of
    /// it that is files mapped (the runtime's own libraries and assemblies, shared with every .NET process).
    /// </summary>
    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    // The most the GC lets gen0 allocate before it collects, as the runtime reports it: sized from the L3 cache the
    // CPU reports unless DOTNET_GCgen0size sets it. Garbage up to this much is resident before the first collection.
    private static long Gen0BudgetKib() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget, CultureInfo.InvariantCulture) / 1024 : -1;
}
