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
        var report = new ReceiverReport("core");
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

            if (report.Count(length))
            {
                _ = JitQuiet.AnnounceWhenQuietAsync(CancellationToken.None);
            }
        }

        // What a full collection keeps while the listener is still open.
        var line = report.Line();
        await listener.DisposeAsync();
        Console.WriteLine(line);
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
}
