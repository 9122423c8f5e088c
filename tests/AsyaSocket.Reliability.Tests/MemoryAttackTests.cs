using System.Globalization;
using System.Net.Sockets;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Four bytes must not buy 100 MiB. The listener runs in a harness process of its own (default options) and
/// reports its resident memory when it receives a zero-length message; the attack comes from this process over
/// real sockets: headers announcing 100 MiB followed by far fewer bytes. Serial: it measures a process's memory.
/// </summary>
[Collection(Serial.Name)]
public sealed class MemoryAttackTests(ITestOutputHelper output)
{
    private const uint Announced = 100 * 1024 * 1024;
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task AHundredConnectionsInARowAnnouncing100MiBAndSending4KiBRaiseThePeakRssByLessThan64MiB()
    {
        using var mesh = TempMesh.InOwnParent();
        using var listener = await StartListenerAsync(mesh);
        var before = await WarmUpAndMeasureAsync(mesh, listener);

        for (var i = 0; i < 100; i++)
        {
            using var socket = await Raw.ConnectAsync(mesh.SocketPath("victim"));
            await Raw.SendAllAsync(socket, [.. Raw.Header(Announced), .. new byte[4096]]);
            socket.Shutdown(SocketShutdown.Send);
            Assert.NotEqual(ReplyKind.Ack, (await Raw.ReadReplyAsync(socket)).Kind);
        }

        var after = await MeasureAsync(mesh, listener);
        Report("100 in a row, 4 KiB each", before, after);
        Assert.True(after.Peak - before.Peak < 64 * MiB, $"peak RSS rose by {(after.Peak - before.Peak) / MiB} MiB; {listener.Transcript()}");
    }

    [Fact]
    public async Task ThirtyConnectionsHeldOpenAnnouncing100MiBAndSending1MiBRaiseThePeakRssByLessThan160MiBAndGoodSendersGetThrough()
    {
        using var mesh = TempMesh.InOwnParent();
        using var listener = await StartListenerAsync(mesh);
        var before = await WarmUpAndMeasureAsync(mesh, listener);

        var attackers = new List<Socket>();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
            {
                var socket = await Raw.ConnectAsync(mesh.SocketPath("victim"));
                lock (attackers)
                {
                    attackers.Add(socket);
                }

                // Completes once the listener has read all but what the socket buffers hold.
                await Raw.SendAllAsync(socket, [.. Raw.Header(Announced), .. new byte[1024 * 1024]]).Within();
            }));

            // Meanwhile, well-behaved senders are served at once.
            var sender = mesh.Sender(ackTimeout: TimeSpan.FromSeconds(5));
            for (var i = 0; i < 20; i++)
            {
                await sender.SendAsync("victim", new byte[1024]).Within();
            }

            var after = await MeasureAsync(mesh, listener);
            Report("30 held open, 1 MiB each", before, after);
            Assert.True(after.Peak - before.Peak < 160 * MiB, $"peak RSS rose by {(after.Peak - before.Peak) / MiB} MiB; {listener.Transcript()}");
        }
        finally
        {
            attackers.ForEach(socket => socket.Dispose());
        }
    }

    private static async Task<HarnessProcess> StartListenerAsync(TempMesh mesh)
    {
        var listener = HarnessProcess.Start("listen", mesh.Path, "victim", "--memory", "--deadline-ms", "180000");
        await listener.ExpectAsync("READY ");
        return listener;
    }

    // Good traffic and one short attack first, so what is measured afterwards is the attack, not the JIT or the pools.
    private static async Task<(long Current, long Peak)> WarmUpAndMeasureAsync(TempMesh mesh, HarnessProcess listener)
    {
        var sender = mesh.Sender(ackTimeout: TimeSpan.FromSeconds(10));
        for (var i = 0; i < 50; i++)
        {
            await sender.SendAsync("victim", new byte[1024 * (1 + (i % 4))]).Within();
        }

        for (var i = 0; i < 3; i++)
        {
            using var socket = await Raw.ConnectAsync(mesh.SocketPath("victim"));
            await Raw.SendAllAsync(socket, [.. Raw.Header(Announced), .. new byte[4096]]);
            socket.Shutdown(SocketShutdown.Send);
            await Raw.ReadReplyAsync(socket);
        }

        return await MeasureAsync(mesh, listener);
    }

    private static async Task<(long Current, long Peak)> MeasureAsync(TempMesh mesh, HarnessProcess listener)
    {
        await mesh.Sender(ackTimeout: TimeSpan.FromSeconds(10)).SendAsync("victim", ReadOnlyMemory<byte>.Empty).Within();
        while (true)
        {
            var line = await listener.NextLineAsync(Bounds.Hang);
            if (line.StartsWith("MEMORY ", StringComparison.Ordinal))
            {
                var words = line.Split(' ');
                return (long.Parse(words[1], CultureInfo.InvariantCulture), long.Parse(words[2], CultureInfo.InvariantCulture));
            }
        }
    }

    private void Report(string attack, (long Current, long Peak) before, (long Current, long Peak) after) => output.WriteLine(
        $"{attack}: listener RSS {before.Current / MiB} MiB (peak {before.Peak / MiB}) before, {after.Current / MiB} MiB (peak {after.Peak / MiB}) after: peak +{(after.Peak - before.Peak) / MiB} MiB");
}
