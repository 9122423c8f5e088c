using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Memory follows the bytes that arrived, not the bytes a header announced; the bytes in flight and in the buffer
/// are bounded, and a connection past a bound waits (unacked) instead of being dropped. A refused frame is visible.
/// (The process-level figures, peak RSS under the header attacks, are in the reliability suite's MemoryAttackTests.)
/// </summary>
[Collection(Serial.Name)]
public class MemoryBoundTests
{
    [Fact]
    public async Task AHeaderAnnouncing100MiBBuysOnlyWhatArrived()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var attacker = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(attacker, [.. Raw.Header(100 * 1024 * 1024), .. new byte[4096]]);

        // One chunk is reserved for the 4 KiB that came, not the 100 MiB announced.
        await Bounds.Eventually(() => listener.Counters.InFlightBytes > 0, "the listener reads the body");
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(256 * 1024, listener.Counters.InFlightBytes);

        attacker.Shutdown(SocketShutdown.Send);
        Assert.Contains((await Raw.ReadReplyAsync(attacker)).Kind, new[] { ReplyKind.Eof, ReplyKind.Reset });
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.TruncatedBody) == 1, "the short body is counted");
        Assert.Equal(0, listener.Counters.InFlightBytes);
    }

    [Fact]
    public async Task ABodyOverTheInFlightBudgetWaitsUnackedUntilBytesAreFreedThenGoesThrough()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { MaxInFlightBytes = 512 * 1024 });

        // The oldest connection may pass the budget: it holds four 256 KiB chunks after sending 768 KiB of 2 MiB.
        using var holder = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(holder, [.. Raw.Header(2 * 1024 * 1024), .. new byte[768 * 1024]]);
        await Bounds.Eventually(() => listener.Counters.InFlightBytes == 1024 * 1024, () => $"the holder reserves 1 MiB (now {listener.Counters.InFlightBytes})");

        // A well-formed 300 KiB frame does not fit: it waits, unacked, and is not dropped.
        var body = Encoding.UTF8.GetBytes(new string('x', 300 * 1024));
        var send = mesh.Sender().SendAsync("a", body).AsTask();
        await Task.Delay(Bounds.Quiet);
        Assert.False(send.IsCompleted);
        Assert.Equal(0, listener.Counters.Received);

        // The holder goes away: its bytes are freed and the waiting frame is read, buffered and acked.
        holder.Dispose();
        await send.Within();
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(body, message.ToArray());
        await Bounds.Eventually(() => listener.Counters.InFlightBytes == 0, "nothing stays reserved");
        Assert.Equal(0, listener.Counters.RejectedFor(RejectReason.ReadTimeout));
    }

    [Fact]
    public async Task TheBufferIsBoundedInBytesAndHoldsTheSenderBackUntilAMessageIsTaken()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { MaxBufferedBytes = 100 * 1024 });
        var sender = mesh.Sender();
        var body = new byte[40 * 1024];
        await sender.SendAsync("a", body).Within();
        await sender.SendAsync("a", body).Within();
        Assert.Equal(80 * 1024, listener.Counters.BufferedBytes);

        var third = sender.SendAsync("a", body).AsTask();
        await Task.Delay(Bounds.Quiet);
        Assert.False(third.IsCompleted); // 120 KiB would pass the bound: no ack
        Assert.Equal(2, listener.Counters.Buffered);

        await listener.ReceiveAsync().Within();
        await third.Within();
        await Bounds.Eventually(() => listener.Counters.BufferedBytes == 80 * 1024, "the third message took the room the first left");
    }

    [Fact]
    public async Task OneMessageLargerThanTheByteBoundStillGoesIntoAnEmptyBuffer()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { MaxBufferedBytes = 1024 });
        await mesh.Sender().SendAsync("a", new byte[64 * 1024]).Within();
        Assert.Equal(64 * 1024, (await listener.ReceiveAsync().Within()).Length);
    }

    [Fact]
    public async Task AFrameRefusedAsTooLargeIsRaisedWithItsAnnouncedLength()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { MaxBodyLength = 16 });
        var rejections = new List<ListenerRejection>();
        listener.Rejected += (_, rejection) =>
        {
            lock (rejections)
            {
                rejections.Add(rejection);
            }
        };

        using var socket = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(socket, Raw.Header(123_456_789));
        Assert.Contains((await Raw.ReadReplyAsync(socket)).Kind, new[] { ReplyKind.Eof, ReplyKind.Reset });

        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.FrameTooLarge) == 1, "the refusal is counted");
        Assert.Equal(123_456_789, listener.Counters.LastTooLargeLength);
        lock (rejections)
        {
            var rejection = Assert.Single(rejections);
            Assert.Equal(RejectReason.FrameTooLarge, rejection.Reason);
            Assert.Equal(123_456_789, rejection.AnnouncedLength);
        }
    }

    [Fact]
    public async Task APooledBodyIsGivenBackOnDisposeAndCannotBeReadAfterwards()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { PooledBodies = true });
        await mesh.Sender().SendAsync("a", Encoding.UTF8.GetBytes("pooled")).Within();
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal("pooled", message.GetText());
        Assert.Equal(6, message.Length);

        message.Dispose();
        Assert.Throws<ObjectDisposedException>(() => message.Body);
        Assert.Equal(6, message.Length);
        message.Dispose(); // twice is harmless
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PooledBodiesAreReusedWhenAConsumerFellAFullBufferBehind(bool inlineDelivery)
    {
        // The shared pool keeps a few dozen arrays of a size per CPU: a consumer that let 200 messages pile up got
        // fresh arrays for 137 of the next 200. The listener's own pool has room for a full buffer (up to its byte budgets).
        const int Behind = 150;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { PooledBodies = true, BufferCapacity = Behind, InlineDelivery = inlineDelivery });
        var sender = mesh.Sender();
        var body = new byte[4000];

        var first = new HashSet<byte[]>(await PileUpAndTakeAll(listener, sender, body, Behind), ReferenceEqualityComparer.Instance);
        Assert.Equal(Behind, first.Count);
        var second = await PileUpAndTakeAll(listener, sender, body, Behind);
        Assert.All(second, array => Assert.Contains(array, first));
    }

    [Fact]
    public async Task ThePoolOfPooledBodiesKeepsNoMoreThanTheListenersByteBudgets()
    {
        // 16 + 4 MiB of budgets: 10 arrays of a size at most (every size up to 1 MiB together is under 2 MiB), whatever a
        // consumer once had out, so peers sending every size cannot make the pool outgrow what the listener may hold.
        // 600 KB bodies take the pool's largest arrays (1 MiB), so none can come from a larger size instead.
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions
        {
            PooledBodies = true,
            BufferCapacity = 20,
            MaxBufferedBytes = 16L << 20,
            MaxInFlightBytes = 4L << 20,
        });
        var sender = mesh.Sender();
        var body = new byte[600_000];

        var first = new HashSet<byte[]>(await PileUpAndTakeAll(listener, sender, body, 20), ReferenceEqualityComparer.Instance);
        var reused = (await PileUpAndTakeAll(listener, sender, body, 20)).Count(first.Contains);
        Assert.True(reused is >= 1 and <= 10, $"{reused} of 20 arrays came back from the pool (room for 10).");
    }

    // Sends count messages that nobody takes yet (acked on buffering), then takes and disposes them all: the arrays their
    // pooled bodies were in, in order.
    private static async Task<List<byte[]>> PileUpAndTakeAll(SocketListener listener, SocketSender sender, byte[] body, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await sender.SendAsync("a", body).Within();
        }

        var arrays = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            using var message = await listener.ReceiveAsync().Within();
            Assert.True(MemoryMarshal.TryGetArray(message.Body, out var segment));
            Assert.Equal(body.Length, message.Length);
            arrays.Add(segment.Array!);
        }

        return arrays;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 2)]
    [InlineData(2, 0)]
    [InlineData(2, 2)]
    public async Task InlineAndAsynchronousPathsDeliverEverySizeIntact(int senderInlineMs, int listenerInlineMs)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineWait = TimeSpan.FromMilliseconds(listenerInlineMs) });
        var sender = new SocketSender(mesh.Mesh) { InlineWait = TimeSpan.FromMilliseconds(senderInlineMs) };
        foreach (var size in new[] { 0, 1, 4096, 64 * 1024, (64 * 1024) + 1, 1024 * 1024, (3 * 1024 * 1024) + 7 })
        {
            var body = new byte[size];
            Random.Shared.NextBytes(body);
            await sender.SendAsync("a", body).Within();
            Assert.Equal(body, (await listener.ReceiveAsync().Within()).ToArray());
        }
    }
}
