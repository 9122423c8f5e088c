using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Explicit settlement on the socket listener: acknowledge is the 0x01 byte, reject closes the connection
/// without it, reject with requeue keeps the sender waiting and returns the message first.
/// </summary>
public class SettlementTests
{
    private static readonly SocketListenerOptions Explicit = new() { AckPolicy = AckPolicy.Explicit };

    [Fact]
    public async Task AcknowledgeSendsTheAckOnlyWhenTheConsumerIsDone()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var send = mesh.Sender().SendAsync("a", "work"u8.ToArray()).AsTask();

        var message = await listener.ReceiveAsync().Within();
        await Bounds.AssertStillPending(send, "the send before the consumer acknowledged");

        await listener.AcknowledgeAsync(message).Within();
        Assert.Equal(4, (await send.Within()).BodyLength);
        Assert.Equal(1, listener.Counters.Acked);
    }

    [Fact]
    public async Task RejectClosesWithoutTheAckSoTheSendFails()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var send = mesh.Sender().SendAsync("a", "bad"u8.ToArray()).AsTask();

        await listener.RejectAsync(await listener.ReceiveAsync().Within(), requeue: false).Within();

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.Equal("PeerClosedBeforeAck", error.ErrorId);
        Assert.Equal(0, listener.Counters.Acked);
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.ConsumerRejected));
    }

    [Fact]
    public async Task RejectWithRequeueReturnsItFirstAndTheSenderKeepsWaitingForItsAck()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var first = mesh.Sender().SendAsync("a", "first"u8.ToArray()).AsTask();
        var taken = await listener.ReceiveAsync().Within();
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

    [Fact]
    public async Task AMessageIsSettledOnce()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var send = mesh.Sender().SendAsync("a", "x"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();
        await listener.AcknowledgeAsync(message).Within();
        await send.Within();

        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.AcknowledgeAsync(message).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.RejectAsync(message, requeue: true).Within());
        Assert.Equal(1, listener.Counters.Acked);
    }

    [Fact]
    public async Task AMessageFromElsewhereCannotBeSettledHere()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var stranger = new AsyaReceivedMessage("a", "x"u8.ToArray(), DateTimeOffset.UtcNow, Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() => listener.AcknowledgeAsync(stranger).Within());
    }

    [Fact]
    public async Task AcknowledgingAfterTheSenderGaveUpFailsAsSettlementFailed()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var send = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(200)).SendAsync("a", "late"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();
        await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener sees the sender give up");

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.AcknowledgeAsync(message).Within());
        Assert.Equal(AsyaErrorKind.SettlementFailed, error.Kind);
        Assert.Equal(0, listener.Counters.Acked);
    }

    [Fact]
    public async Task StoppingGivesHeldMessagesBackUnacknowledgedWithoutWaitingForTheConsumer()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", Explicit);
        var send = mesh.Sender().SendAsync("a", "held"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();

        await listener.DisposeAsync().AsTask().Within();

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.ListenerClosing));
        var late = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.AcknowledgeAsync(message).Within());
        Assert.Equal(AsyaErrorKind.SettlementFailed, late.Kind);
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
}
