using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Explicit settlement on the socket listener: acknowledge is the 0x01 byte, reject closes the connection
/// without it, reject with requeue keeps the sender waiting and returns the message first. Each runs with the consumer
/// on a pool thread and, with inline delivery, on the listener's own (where a receive started before the send takes the
/// message right where it was read). On Linux the connection stays a raw descriptor until the message is settled
/// (past 64 held at once, and on the portable path test.sh runs too, a Socket watched asynchronously).
/// </summary>
public class SettlementTests
{
    private static SocketListenerOptions Explicit(bool inline) => new() { AckPolicy = AckPolicy.Explicit, InlineDelivery = inline };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcknowledgeSendsTheAckOnlyWhenTheConsumerIsDone(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender().SendAsync("a", "work"u8.ToArray()).AsTask();

        var message = await receiving.Within();
        await Bounds.AssertStillPending(send, "the send before the consumer acknowledged");

        await listener.AcknowledgeAsync(message).Within();
        Assert.Equal(4, (await send.Within()).BodyLength);
        Assert.Equal(1, listener.Counters.Acked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RejectClosesWithoutTheAckSoTheSendFails(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender().SendAsync("a", "bad"u8.ToArray()).AsTask();

        await listener.RejectAsync(await receiving.Within(), requeue: false).Within();

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.Equal("PeerClosedBeforeAck", error.ErrorId);
        Assert.Equal(0, listener.Counters.Acked);
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.ConsumerRejected));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RejectWithRequeueReturnsItFirstAndTheSenderKeepsWaitingForItsAck(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var first = mesh.Sender().SendAsync("a", "first"u8.ToArray()).AsTask();
        var taken = await receiving.Within();
        var second = mesh.Sender().SendAsync("a", "second"u8.ToArray()).AsTask();
        await Bounds.Eventually(() => listener.Counters.Buffered == 1, "the second message is buffered");

        await listener.RejectAsync(taken, requeue: true).Within();
        var again = await listener.ReceiveAsync().Within();
        Assert.Equal("first", again.GetText());
        await Bounds.AssertStillPending(first, "the requeued message's send");

        await listener.AcknowledgeAsync(again).Within();
        await first.Within();
        var next = await listener.ReceiveAsync().Within();
        Assert.Equal("second", next.GetText());
        await listener.AcknowledgeAsync(next).Within();
        await second.Within();
        Assert.Equal(2, listener.Counters.Acked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMessageIsSettledOnce(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender().SendAsync("a", "x"u8.ToArray()).AsTask();
        var message = await receiving.Within();
        await listener.AcknowledgeAsync(message).Within();
        await send.Within();

        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.AcknowledgeAsync(message).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.RejectAsync(message, requeue: true).Within());
        Assert.Equal(1, listener.Counters.Acked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AMessageFromElsewhereCannotBeSettledHere(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var stranger = new AsyaReceivedMessage("a", "x"u8.ToArray(), DateTimeOffset.UtcNow, Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.AcknowledgeAsync(stranger).Within());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcknowledgingAfterTheSenderGaveUpFailsAsSettlementFailed(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(200)).SendAsync("a", "late"u8.ToArray()).AsTask();
        var message = await receiving.Within();
        await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener sees the sender give up");

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.AcknowledgeAsync(message).Within());
        Assert.Equal(AsyaErrorKind.SettlementFailed, error.Kind);
        Assert.Equal(0, listener.Counters.Acked);
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.SenderGaveUp));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoppingGivesHeldMessagesBackUnacknowledgedWithoutWaitingForTheConsumer(bool inline)
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender().SendAsync("a", "held"u8.ToArray()).AsTask();
        var message = await receiving.Within();

        await listener.DisposeAsync().AsTask().Within();

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.ListenerClosing));
        var late = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.AcknowledgeAsync(message).Within());
        Assert.Equal(AsyaErrorKind.SettlementFailed, late.Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABufferedMessageWhoseSenderGaveUpIsWithdrawnAndNeverDelivered(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var send = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(200)).SendAsync("a", "gone"u8.ToArray()).AsTask();
        await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener withdraws the message its sender gave up");

        await AssertTheNextMessageIsTheOneReceived(mesh, listener);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ARequeuedMessageWhoseSenderGaveUpIsWithdrawnAndNeverDeliveredAgain(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit(inline));
        var receiving = listener.ReceiveAsync();
        var send = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(300)).SendAsync("a", "gone"u8.ToArray()).AsTask();
        await listener.RejectAsync(await receiving.Within(), requeue: true).Within();
        await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener withdraws the requeued message its sender gave up");

        await AssertTheNextMessageIsTheOneReceived(mesh, listener);
    }

    // More messages held at once than the accept thread polls itself (64): the rest are watched on the asynchronous
    // path, and every one still settles, and one whose sender gives up is withdrawn wherever it is watched.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MoreHeldMessagesThanTheAcceptThreadWatchesAllSettle(bool inline)
    {
        const int count = 100;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.Explicit, InlineDelivery = inline, BufferCapacity = count });
        var sends = Enumerable.Range(0, count).Select(i => mesh.Sender().SendAsync("a", System.Text.Encoding.UTF8.GetBytes($"m{i}")).AsTask()).ToList();
        await Bounds.Eventually(() => listener.Counters.Buffered == count, "every message is buffered");
        var gone = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(200)).SendAsync("a", "gone"u8.ToArray()).AsTask();
        await Assert.ThrowsAsync<AsyaTransportException>(() => gone.Within());

        var texts = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var message = await listener.ReceiveAsync().Within();
            texts.Add(message.GetText());
            await listener.AcknowledgeAsync(message).Within();
        }

        await Task.WhenAll(sends).Within();
        Assert.Equal(count, texts.Count);
        Assert.DoesNotContain("gone", texts);
        Assert.Equal(count, listener.Counters.Acked);
    }

    [Theory]
    [InlineData(AckPolicy.WhenBuffered)]
    [InlineData(AckPolicy.WhenTaken)]
    public async Task UnderAckOnTakeOrBufferSettlementIsANoOpAndRequeueIsTheSidecars(AckPolicy policy)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = policy });
        var send = mesh.Sender().SendAsync("a", "x"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();
        await send.Within();

        await listener.AcknowledgeAsync(message).Within();
        await listener.RejectAsync(message, requeue: true).Within();
        Assert.Same(message, await listener.ReceiveAsync().Within());
        await listener.RejectAsync(message, requeue: false).Within();
        await Bounds.Eventually(() => listener.Counters.Acked == 1, "the one ack is counted");
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(1, listener.Counters.Acked);
        Assert.Equal(0, listener.Counters.RejectedTotal);
    }

    // The withdrawn message is gone: the next one sent is the next one received, and it settles.
    private static async Task AssertTheNextMessageIsTheOneReceived(TempMesh mesh, SocketListener listener)
    {
        var next = mesh.Sender().SendAsync("a", "next"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal("next", message.GetText());
        await listener.AcknowledgeAsync(message).Within();
        await next.Within();
    }
}
