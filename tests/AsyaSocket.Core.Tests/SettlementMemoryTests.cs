using System.Runtime.CompilerServices;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;
using Xunit.Abstractions;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// What a listener keeps for a message a consumer holds under <see cref="AckPolicy.Explicit"/> must go with the
/// message once it is settled and dropped. A weak table beside the messages kept one entry a message until a full
/// collection, and its arrays grew on the large object heap: a Receive-AsyaMessage at 28,000 msgs/s grew by 1 MiB a
/// second. Serial: the live heap is measured, so nothing else may run beside it.
/// </summary>
[Collection(Serial.Name)]
public class SettlementMemoryTests(ITestOutputHelper output)
{
    private const int Messages = 30_000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SettledAndDroppedMessagesLeaveNothingInTheListener(bool inline)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.Explicit, InlineDelivery = inline });
        var sender = mesh.Sender();
        var body = "settled"u8.ToArray();

        async Task ExchangeAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                // The sender on a pool thread: it waits for its ack inside recv(2) for a while before it yields.
                var sending = Task.Run(() => sender.SendAsync("a", body).AsTask());
                await listener.AcknowledgeAsync(await listener.ReceiveAsync());
                await sending;
            }
        }

        await ExchangeAsync(1_000).Within(TimeSpan.FromSeconds(30)); // the listener's own first-use state
        var before = GC.GetTotalMemory(forceFullCollection: true);
        await ExchangeAsync(Messages).Within(TimeSpan.FromSeconds(120));
        var retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        output.WriteLine($"{retained:N0} bytes live beyond the warm listener's after {Messages:N0} settled messages");

        Assert.Equal(Messages + 1_000, listener.Counters.Acked);
        Assert.True(retained < 128 * 1024, $"{retained:N0} bytes are still live after {Messages:N0} settled messages were dropped");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AMessageKeptAfterItsListenerStoppedDoesNotKeepTheListener(bool settled)
    {
        // A script that keeps what it received ($all = Receive-AsyaMessage ...) must not keep each listener, with its
        // buffer and its pool, alive with it: settled, or given back unsettled when the listener stopped.
        using var mesh = new TempMesh();
        var (message, listener) = await ReceiveOneAndStopAsync(mesh, settled);
        for (var i = 0; i < 10 && listener.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.Equal("kept"u8.ToArray(), message.Body.ToArray());
        Assert.False(listener.IsAlive, "the message kept its stopped listener alive");
    }

    // Apart, so no local of this frame keeps the listener.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(AsyaReceivedMessage Message, WeakReference Listener)> ReceiveOneAndStopAsync(TempMesh mesh, bool settle)
    {
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.Explicit });
        var sending = Task.Run(() => mesh.Sender(ackTimeout: TimeSpan.FromSeconds(5)).SendAsync("a", "kept"u8.ToArray()).AsTask());
        var message = await listener.ReceiveAsync().AsTask().Within();
        if (settle)
        {
            await listener.AcknowledgeAsync(message);
            await sending.Within();
        }

        await listener.DisposeAsync();
        if (!settle)
        {
            await Assert.ThrowsAsync<AsyaSocket.Core.Errors.AsyaTransportException>(() => sending).Within();
        }

        return (message, new WeakReference(listener));
    }
}
