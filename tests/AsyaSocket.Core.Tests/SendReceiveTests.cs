using System.Text;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>The reference's unit cases (§7) for one actor in one process: round trip, ack, FIFO, delayed send, close.</summary>
public class SendReceiveTests
{
    [Fact]
    public async Task RoundTripWithNonEmptyId()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "validate-order");
        var envelope = AsyaEnvelope.Create(["validate-order"], JsonDocument.Parse("""{"order_id":"A-1001"}""").RootElement, id: "3f2c9a1e-8d7b-4a51-9e0f-2b6d5c4a1f00");

        var result = await mesh.Sender().SendAsync("validate-order", envelope.ToUtf8Bytes()).Within();
        var message = await listener.ReceiveAsync().Within();

        Assert.Equal("3f2c9a1e-8d7b-4a51-9e0f-2b6d5c4a1f00", message.GetEnvelope().Id);
        Assert.Equal("validate-order", message.GetEnvelope().Route.Curr);
        Assert.Equal("A-1001", message.GetEnvelope().Payload.GetProperty("order_id").GetString());
        Assert.Equal(envelope.ToUtf8Bytes(), message.ToArray());
        Assert.Equal("validate-order", message.Actor);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(mesh.SocketPath("validate-order"), result.Address);
        Assert.Equal(listener.Address, result.Address);
    }

    [Fact]
    public async Task EachMessageIsAckedExactlyOnceAndTakingItDoesNotAckAgain()
    {
        // The reference's Ack is a no-op: the 0x01 byte on the connection was the real ack, sent once.
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var socket = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(socket, Raw.Frame("{\"id\":\"1\"}"u8));

        Assert.Equal(ReplyKind.Ack, (await Raw.ReadReplyAsync(socket)).Kind);
        await Bounds.Eventually(() => listener.Counters.Acked == 1, "the listener counted its ack");
        var beforeTake = listener.Counters;
        Assert.Equal((1L, 1L, 1), (beforeTake.Received, beforeTake.Acked, beforeTake.Buffered));

        var message = await listener.ReceiveAsync().Within();
        Assert.Equal("{\"id\":\"1\"}", message.GetText());
        Assert.Equal(ReplyKind.Eof, (await Raw.ReadReplyAsync(socket)).Kind); // no second byte, ever
        var afterTake = listener.Counters;
        Assert.Equal((1L, 1L, 0, 0L), (afterTake.Received, afterTake.Acked, afterTake.Buffered, afterTake.AckFailed));
    }

    [Fact]
    public async Task FiveSequentialMessagesArriveInFifoOrder()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var sender = mesh.Sender();
        for (var i = 1; i <= 5; i++)
        {
            await sender.SendAsync("a", Encoding.UTF8.GetBytes($"message {i}")).Within();
        }

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal($"message {i}", (await listener.ReceiveAsync().Within()).GetText());
        }
    }

    [Fact]
    public async Task EveryReceivedMessageGetsAFreshTransportIdDistinctFromTheEnvelopeId()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var body = "{\"id\":\"same\"}"u8.ToArray();
        await mesh.Sender().SendAsync("a", body).Within();
        await mesh.Sender().SendAsync("a", body).Within();
        var first = await listener.ReceiveAsync().Within();
        var second = await listener.ReceiveAsync().Within();

        Assert.NotEqual(Guid.Empty, first.TransportId);
        Assert.NotEqual(first.TransportId, second.TransportId);
        Assert.Equal("same", first.GetEnvelope().Id);
        Assert.True(first.ReceivedAt <= second.ReceivedAt);
    }

    [Fact]
    public async Task SendWithDelayIsNotSupported()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        foreach (var delay in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(5) })
        {
            var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender().SendWithDelayAsync("a", "x"u8.ToArray(), delay));
            Assert.Equal(AsyaErrorKind.DelayedDeliveryNotSupported, error.Kind);
            Assert.Equal("transport does not support delayed delivery", error.Message);
        }

        // Nothing was sent, not even an empty connection.
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(0, listener.Counters.Received);
        Assert.Equal(0, listener.Counters.RejectedTotal);
    }

    [Fact]
    public async Task DisposeRemovesTheSocketFileAndIsIdempotent()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a");
        Assert.True(Unix.IsSocket(listener.Address));

        listener.Dispose();
        Assert.Null(Unix.Stat(listener.Address));
        Assert.Empty(mesh.Entries()); // no hidden temporary socket left either
        await listener.Completion.Within();
        Assert.True(listener.Completion.IsCompletedSuccessfully);

        listener.Dispose();
        await listener.DisposeAsync();
        Assert.Null(Unix.Stat(listener.Address));

        var receive = await Assert.ThrowsAsync<AsyaTransportException>(async () => await listener.ReceiveAsync().Within());
        Assert.Equal(AsyaErrorKind.ReceiverClosed, receive.Kind);
        var send = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 2).SendAsync("a", "x"u8.ToArray()).Within());
        Assert.Equal(AsyaErrorKind.ActorNotFound, send.Kind);
    }

    [Fact]
    public async Task DisposeAsyncRemovesTheSocketFileToo()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a");
        await listener.DisposeAsync().AsTask().Within();
        await listener.DisposeAsync().AsTask().Within();
        Assert.Null(Unix.Stat(listener.Address));
    }

    [Fact]
    public async Task MessagesAckedBeforeDisposeStayReadableThenListenerClosed()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a");
        await mesh.Sender().SendAsync("a", "one"u8.ToArray()).Within();
        await mesh.Sender().SendAsync("a", "two"u8.ToArray()).Within();
        await listener.DisposeAsync().AsTask().Within();

        Assert.Equal("one", (await listener.ReceiveAsync().Within()).GetText());
        Assert.Equal("two", listener.DrainBuffered().Single().GetText());
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await listener.ReceiveAsync().Within());
        Assert.Equal(AsyaErrorKind.ReceiverClosed, error.Kind);
    }

    [Fact]
    public async Task ReadAllYieldsEveryMessageAndEndsWhenTheListenerIsDisposed()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a");
        for (var i = 0; i < 3; i++)
        {
            await mesh.Sender().SendAsync("a", Encoding.UTF8.GetBytes($"m{i}")).Within();
        }

        var reading = Task.Run(async () =>
        {
            var texts = new List<string>();
            await foreach (var message in listener.ReadAllAsync())
            {
                texts.Add(message.GetText());
            }

            return texts;
        });
        await Bounds.Eventually(() => listener.Counters.Buffered == 0, "the reader took the three messages");
        await Bounds.AssertStillPending(reading, "ReadAllAsync before dispose");
        await listener.DisposeAsync();
        Assert.Equal(new[] { "m0", "m1", "m2" }, await reading.Within());
    }

    [Fact]
    public async Task CancellingABlockedReceiveThrowsOperationCanceled()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var cancel = new CancellationTokenSource();
        var receive = listener.ReceiveAsync(cancel.Token).AsTask();
        await Bounds.AssertStillPending(receive, "a receive with nothing sent");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive.Within());

        // The listener is unaffected and the next message is not lost to the cancelled receive.
        await mesh.Sender().SendAsync("a", "after"u8.ToArray()).Within();
        Assert.Equal("after", (await listener.ReceiveAsync().Within()).GetText());
    }

    [Fact]
    public async Task ZeroLengthFrameIsValidAndAcked()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var result = await mesh.Sender().SendAsync("a", ReadOnlyMemory<byte>.Empty).Within();
        Assert.Equal(0, result.BodyLength);
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(0, message.Length);
        Assert.Null(message.TryGetEnvelope()); // the sidecar would route it to x-sump as unparsable
        Assert.Equal(AsyaErrorKind.InvalidEnvelope, Assert.Throws<AsyaTransportException>(() => message.GetEnvelope()).Kind);
    }

    [Fact]
    public void OptionsRejectOutOfRangeValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendOptions { ConnectAttempts = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendOptions { AckTimeout = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SendOptions { ConnectRetryInterval = TimeSpan.FromMilliseconds(-1) }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketListenerOptions { BufferCapacity = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketListenerOptions { RequeueCapacity = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SocketListenerOptions { ReadTimeout = TimeSpan.Zero }.Validate());
        new SendOptions { AckTimeout = Timeout.InfiniteTimeSpan }.Validate();
        new SocketListenerOptions { ReadTimeout = Timeout.InfiniteTimeSpan }.Validate();

        var defaults = new SendOptions();
        Assert.Equal((60, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)), (defaults.ConnectAttempts, defaults.ConnectRetryInterval, defaults.ConnectTimeout));
        Assert.Equal(4, new SocketListenerOptions().RequeueCapacity);
        Assert.Equal(AckPolicy.WhenBuffered, new SocketListenerOptions().AckPolicy);
    }
}
