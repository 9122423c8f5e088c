using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// A full buffer stops the acks, and a sender that gives up while its message waits for room gets it
/// withdrawn: the consumer never sees a message whose sender was told it failed.
/// </summary>
[Collection(Serial.Name)]
public class BackpressureTests
{
    [Fact]
    public async Task FullBufferHoldsTheSenderAndASenderThatGivesUpHasItsMessageWithdrawn()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { BufferCapacity = 2 });
        var sender = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(300));
        await sender.SendAsync("a", Encoding.UTF8.GetBytes("1"));
        await sender.SendAsync("a", Encoding.UTF8.GetBytes("2"));

        var held = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Encoding.UTF8.GetBytes("3")));
        Assert.Equal(AsyaErrorKind.AckTimeout, held.Kind);
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.SenderGaveUp) == 1, "the listener withdraws the third message");

        // Room again: the next message is acked at once, and "3" never reaches the consumer.
        Assert.Equal("1", (await listener.ReceiveAsync()).GetText());
        await sender.SendAsync("a", Encoding.UTF8.GetBytes("4"));
        Assert.Equal("2", (await listener.ReceiveAsync()).GetText());
        Assert.Equal("4", (await listener.ReceiveAsync()).GetText());
        Assert.Equal(0, listener.Counters.Buffered);
    }
}
