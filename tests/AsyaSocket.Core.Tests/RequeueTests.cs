using System.Text;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>Protocol §4: requeue puts a message back in a buffer of 4; the next receive returns it before anything sent.</summary>
public class RequeueTests
{
    private static AsyaReceivedMessage Message(string text) => new("a", Encoding.UTF8.GetBytes(text), DateTimeOffset.UtcNow, Guid.NewGuid());

    [Fact]
    public async Task RequeuedBeforeAnythingWasSentIsReturnedFirst()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var requeued = Message("requeued");
        await listener.RequeueAsync(requeued).Within();
        await mesh.Sender().SendAsync("a", "sent"u8.ToArray()).Within();

        Assert.Same(requeued, await listener.ReceiveAsync().Within());
        Assert.Equal("sent", (await listener.ReceiveAsync().Within()).GetText());
    }

    [Fact]
    public async Task RequeuedMessageComesBackBeforeOlderBufferedOnesWithoutAnotherAck()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        await mesh.Sender().SendAsync("a", "first"u8.ToArray()).Within();
        await mesh.Sender().SendAsync("a", "second"u8.ToArray()).Within();

        var first = await listener.ReceiveAsync().Within();
        await listener.RequeueAsync(first).Within();
        var again = await listener.ReceiveAsync().Within();
        Assert.Same(first, again);
        Assert.Equal(first.TransportId, again.TransportId);
        Assert.Equal("second", (await listener.ReceiveAsync().Within()).GetText());
        Assert.Equal(2, listener.Counters.Acked); // requeue is local: no extra ack, no self-dial
        Assert.Equal(2, listener.Counters.Received);
    }

    [Fact]
    public async Task RequeueBlocksAtTheFifthPendingItemUntilOneIsTaken()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { RequeueCapacity = 4 });
        var messages = Enumerable.Range(1, 5).Select(i => Message($"r{i}")).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(listener.RequeueAsync(messages[i]).IsCompletedSuccessfully, $"requeue {i + 1} of 4 should not wait");
        }

        Assert.Equal(4, listener.Counters.Buffered);
        var fifth = listener.RequeueAsync(messages[4]).AsTask();
        await Bounds.AssertStillPending(fifth, "the fifth requeue");

        Assert.Same(messages[0], await listener.ReceiveAsync().Within());
        await fifth.Within();
        foreach (var expected in messages.Skip(1))
        {
            Assert.Same(expected, await listener.ReceiveAsync().Within());
        }
    }

    [Fact]
    public async Task RequeueCapacityIsConfigurable()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { RequeueCapacity = 1 });
        await listener.RequeueAsync(Message("one")).Within();
        var second = listener.RequeueAsync(Message("two")).AsTask();
        await Bounds.AssertStillPending(second, "the second requeue with capacity 1");
        Assert.Equal("one", (await listener.ReceiveAsync().Within()).GetText());
        await second.Within();
        Assert.Equal("two", (await listener.ReceiveAsync().Within()).GetText());
    }

    [Fact]
    public async Task ABlockedRequeueCanBeCancelledAndLeavesNothingBehind()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        for (var i = 0; i < 4; i++)
        {
            await listener.RequeueAsync(Message($"r{i}")).Within();
        }

        using var cancel = new CancellationTokenSource();
        var fifth = listener.RequeueAsync(Message("fifth"), cancel.Token).AsTask();
        await Bounds.AssertStillPending(fifth, "the fifth requeue");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fifth.Within());

        var texts = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            texts.Add((await listener.ReceiveAsync().Within()).GetText());
        }

        Assert.Equal(new[] { "r0", "r1", "r2", "r3" }, texts);
        Assert.Empty(listener.DrainBuffered());
    }

    [Fact]
    public async Task RequeuedMessagesAreDrainedFirstAfterDispose()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a");
        await mesh.Sender().SendAsync("a", "sent"u8.ToArray()).Within();
        await listener.RequeueAsync(Message("requeued")).Within();
        await listener.DisposeAsync();

        Assert.Equal(new[] { "requeued", "sent" }, listener.DrainBuffered().Select(m => m.GetText()));
    }
}
