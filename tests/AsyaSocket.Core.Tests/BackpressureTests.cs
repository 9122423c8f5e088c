using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// A full buffer stops the acks, and a sender that gives up while its message waits for room gets it
/// withdrawn: the consumer never sees a message whose sender was told it failed. Under every ack policy, with and
/// without inline delivery (on Linux a waiting message keeps its raw descriptor, watched by the accept thread; on
/// the portable path a task watches it).
/// </summary>
[Collection(Serial.Name)]
public class BackpressureTests
{
    public static TheoryData<AckPolicy, bool> Modes() => new()
    {
        { AckPolicy.WhenBuffered, false },
        { AckPolicy.WhenBuffered, true },
        { AckPolicy.WhenTaken, false },
        { AckPolicy.WhenTaken, true },
        { AckPolicy.Explicit, false },
        { AckPolicy.Explicit, true },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task FullBufferHoldsTheSenderAndASenderThatGivesUpHasItsMessageWithdrawn(AckPolicy policy, bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { BufferCapacity = 2, AckPolicy = policy, InlineDelivery = inline });
        var sender = mesh.Sender();
        var first = SendText(sender, "1");
        var second = SendText(sender, "2");
        await Bounds.Eventually(() => listener.Counters.Buffered == 2, "the buffer is full");

        var impatient = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(300));
        var held = await Assert.ThrowsAsync<AsyaTransportException>(() => SendText(impatient, "3").Within());
        Assert.Equal(AsyaErrorKind.AckTimeout, held.Kind);
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener withdraws the third message");

        // A patient sender waits for room; as room comes, its message goes in behind the others and "3" never reaches the consumer.
        var fourth = SendText(sender, "4");
        await Bounds.Eventually(() => listener.Counters.Received == 4, "the fourth frame is read");
        await Bounds.AssertStillPending(fourth, "a send waiting for room in the buffer");
        Assert.Equal(["1", "2", "4"], await TakeAsync(listener, policy, 3));
        await Task.WhenAll(first, second, fourth).Within();

        await Bounds.Eventually(() => listener.Counters.Acked == 3, "the three delivered messages are acked");
        var counters = listener.Counters;
        Assert.Equal((0, 1L, 0L), (counters.Buffered, counters.RejectedTotal, counters.AckFailed));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task StoppingWithdrawsAMessageWaitingForRoomUnacknowledged(AckPolicy policy, bool inline)
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { BufferCapacity = 1, AckPolicy = policy, InlineDelivery = inline });
        var sender = mesh.Sender();
        var first = SendText(sender, "in the buffer");
        await Bounds.Eventually(() => listener.Counters.Buffered == 1, "the buffer is full");
        var waiting = SendText(sender, "waiting for room");
        await Bounds.Eventually(() => listener.Counters.Received == 2, "the second frame is read");

        await listener.DisposeAsync().AsTask().Within();

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => waiting.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.True(listener.Counters.RejectedFor(RejectReason.ListenerClosing) >= 1, "the waiting message is given back as the listener closes");
        if (policy == AckPolicy.WhenBuffered)
        {
            // Acked before the stop: still the consumer's to drain, and only it.
            await first.Within();
            Assert.Equal(["in the buffer"], listener.DrainBuffered().Select(m => m.GetText()));
        }
        else
        {
            Assert.Equal(AsyaErrorKind.NotAcknowledged, (await Assert.ThrowsAsync<AsyaTransportException>(() => first.Within())).Kind);
            Assert.Empty(listener.DrainBuffered());
        }
    }

    private static Task SendText(SocketSender sender, string text) => sender.SendAsync("a", Encoding.UTF8.GetBytes(text)).AsTask();

    private static async Task<string[]> TakeAsync(SocketListener listener, AckPolicy policy, int count)
    {
        var texts = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var message = await listener.ReceiveAsync().Within();
            if (policy == AckPolicy.Explicit)
            {
                await listener.AcknowledgeAsync(message).Within();
            }

            texts.Add(message.GetText());
        }

        return [.. texts];
    }
}
