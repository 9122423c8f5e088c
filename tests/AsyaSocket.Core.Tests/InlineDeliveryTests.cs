using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// <see cref="ListenOptions.InlineDelivery"/>: the consumer runs on the listener's thread, the ack never waits for it,
/// and a consumer that would wait for the listener from there is told so instead of hanging. Explicit settlement
/// writes the ack on the settling thread.
/// </summary>
public class InlineDeliveryTests
{
    [Fact]
    public async Task TheConsumerRunsOnTheListenersThreadAndTheAckDoesNotWaitForIt()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineDelivery = true });
        await using var messages = listener.ReadAllAsync().GetAsyncEnumerator();
        using var release = new ManualResetEventSlim();
        string? consumerThread = null;
        var next = Waiting(messages);

        // The consumer's code after its await: it runs where the message was delivered, and stays busy.
        var consumed = next.AsTask().ContinueWith(
            moved =>
            {
                consumerThread = Thread.CurrentThread.Name;
                release.Wait(Bounds.Hang);
                return moved.Result;
            },
            TaskContinuationOptions.ExecuteSynchronously);

        var sent = await mesh.Sender().SendAsync("a", "work"u8.ToArray()).Within();
        Assert.Equal(4, sent.BodyLength);
        Assert.False(consumed.IsCompleted, "the consumer is still busy, yet the sender had its ack");
        release.Set();
        Assert.True(await consumed.Within());
        Assert.StartsWith("asya accept", consumerThread);
        Assert.Equal("work", messages.Current.GetText());
    }

    [Fact]
    public async Task DisposeFromAnInlineConsumerFailsInsteadOfWaitingForItself()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineDelivery = true });
        await using var messages = listener.ReadAllAsync().GetAsyncEnumerator();
        var next = Waiting(messages);
        var said = next.AsTask().ContinueWith(
            _ =>
            {
                try
                {
                    listener.Dispose();
                    return "Dispose returned";
                }
                catch (InvalidOperationException error)
                {
                    return error.Message;
                }
            },
            TaskContinuationOptions.ExecuteSynchronously);

        await mesh.Sender().SendAsync("a", "x"u8.ToArray()).Within();
        Assert.Contains("await DisposeAsync()", await said.Within());
        await listener.DisposeAsync().AsTask().Within();
    }

    [Fact]
    public async Task AnInlineConsumerCanStopTheListenerWithDisposeAsync()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineDelivery = true });
        await using var messages = listener.ReadAllAsync().GetAsyncEnumerator();
        var next = Waiting(messages);

        // The stop starts on the listener's own thread, which it must then wait for without waiting on itself.
        var stopped = next.AsTask().ContinueWith(_ => listener.DisposeAsync().AsTask(), TaskContinuationOptions.ExecuteSynchronously).Unwrap();

        await mesh.Sender().SendAsync("a", "last"u8.ToArray()).Within();
        await stopped.Within();
        await listener.Completion.Within();
        Assert.False(File.Exists(listener.Address), "the stopped listener removed its socket file");
    }

    [Fact]
    public async Task AnExplicitAcknowledgeWritesTheAckOnTheSettlingThread()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.Explicit });
        var send = mesh.Sender().SendAsync("a", "work"u8.ToArray()).AsTask();
        var message = await listener.ReceiveAsync().Within();

        var acknowledged = listener.AcknowledgeAsync(message);

        // Written here, before AcknowledgeAsync returned: nothing is left for another thread to do.
        Assert.True(acknowledged.IsCompletedSuccessfully, "the acknowledge completed synchronously");
        Assert.Equal(1, listener.Counters.Acked);
        Assert.Equal(4, (await send.Within()).BodyLength);
    }

    // The consumer's next receive, asserted to be waiting: the message sent next is delivered to it, not found later.
    private static ValueTask<bool> Waiting(IAsyncEnumerator<AsyaReceivedMessage> messages)
    {
        var next = messages.MoveNextAsync();
        Assert.False(next.IsCompleted, "the consumer waits before anything is sent");
        return next;
    }
}
