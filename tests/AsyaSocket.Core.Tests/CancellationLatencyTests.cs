using System.Diagnostics;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;
using Xunit.Abstractions;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Protocol §3–4: cancellation is honoured while blocked waiting for an ack, for a message, or in the sleep between
/// dial attempts, and returns within <see cref="Bounds.CancelLatency"/> (100 ms). Each case is run once unmeasured
/// first, so JIT compilation of the cancellation path is not what gets measured.
/// </summary>
[Collection(Serial.Name)]
public class CancellationLatencyTests(ITestOutputHelper output)
{
    /// <summary>Starts the operation, checks it is blocked, cancels, and returns how long it took to give up.</summary>
    private static async Task<TimeSpan> TimeCancellation(Func<CancellationToken, Task> operation)
    {
        using var cancel = new CancellationTokenSource();
        var running = operation(cancel.Token);
        await Bounds.AssertStillPending(running, "the operation before cancellation");

        var watch = Stopwatch.StartNew();
        cancel.Cancel();
        var error = await Record.ExceptionAsync(() => running.Within());
        watch.Stop();
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        return watch.Elapsed;
    }

    private async Task AssertCancelsPromptly(Func<CancellationToken, Task> operation)
    {
        await TimeCancellation(operation); // warm-up
        var elapsed = await TimeCancellation(operation);
        output.WriteLine($"cancellation took {elapsed.TotalMilliseconds:0.000} ms");
        Assert.True(elapsed < Bounds.CancelLatency, $"cancellation took {elapsed.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task StoppingAnIdleListenerReturnsWithin100MsAndItsSocketRefusesConnections()
    {
        // Idle, its accept thread waits inside accept(2) (on Linux) or in a poll: a stop must not wait that out.
        async Task<TimeSpan> TimeStop(TempMesh mesh)
        {
            var listener = SocketListener.Start(mesh.Mesh, "a");
            await Task.Delay(200); // well inside the accept wait
            var watch = Stopwatch.StartNew();
            await listener.DisposeAsync().AsTask().Within();
            return watch.Elapsed;
        }

        using var mesh = new TempMesh();
        await TimeStop(mesh); // warm-up
        var elapsed = await TimeStop(mesh);
        output.WriteLine($"stopping took {elapsed.TotalMilliseconds:0.000} ms");
        Assert.True(elapsed < Bounds.CancelLatency, $"stopping took {elapsed.TotalMilliseconds:0.0} ms");
        Assert.False(File.Exists(mesh.SocketPath("a")), "the socket file is removed");
        var refused = await Assert.ThrowsAsync<AsyaSocket.Core.Errors.AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 1).SendAsync("a", "late"u8.ToArray()));
        Assert.Equal(AsyaSocket.Core.Errors.AsyaErrorKind.ActorNotFound, refused.Kind);
    }

    [Fact]
    public async Task CancellingABlockedReceiveReturnsWithin100Ms()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        await AssertCancelsPromptly(token => listener.ReceiveAsync(token).AsTask());
        Assert.Equal(0, listener.Counters.Received);
    }

    [Fact]
    public async Task CancellingASendBlockedOnAMissingAckReturnsWithin100MsAndClosesTheConnection()
    {
        using var mesh = new TempMesh();
        using var server = new RawServer(mesh.SocketPath("a")); // reads the frame, never acks
        var sender = mesh.Sender(ackTimeout: TimeSpan.FromSeconds(30));
        for (var run = 0; run < 2; run++)
        {
            using var cancel = new CancellationTokenSource();
            var send = sender.SendAsync("a", "held"u8.ToArray(), cancel.Token).AsTask();
            using var connection = await server.AcceptAsync();
            Assert.Equal("held"u8.ToArray(), (await RawServer.ReadFrameAsync(connection)).Body);
            await Bounds.AssertStillPending(send, "a send waiting for its ack");

            var watch = Stopwatch.StartNew();
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send.Within());
            watch.Stop();
            output.WriteLine($"run {run}: cancellation took {watch.Elapsed.TotalMilliseconds:0.000} ms");
            if (run == 1)
            {
                Assert.True(watch.Elapsed < Bounds.CancelLatency, $"cancellation took {watch.Elapsed.TotalMilliseconds:0.0} ms");
            }

            Assert.Empty(await Raw.ReadExactlyAsync(connection, 1)); // the sender closed its end
        }
    }

    [Fact]
    public async Task CancellingDuringTheSleepBetweenDialAttemptsReturnsWithin100Ms()
    {
        using var mesh = new TempMesh();
        var sender = mesh.Sender(dialAttempts: 3, dialIntervalMs: 10_000);
        var watch = Stopwatch.StartNew();
        await AssertCancelsPromptly(token => sender.SendAsync("nobody", "x"u8.ToArray(), token).AsTask());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the 10 s sleep was not waited out");
    }

    [Fact]
    public async Task CancellingABlockedRequeueReturnsWithin100Ms()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { RequeueCapacity = 1 });
        await listener.RequeueAsync(new AsyaReceivedMessage("a", [1], DateTimeOffset.UtcNow, Guid.NewGuid())).Within();
        await AssertCancelsPromptly(token => listener.RequeueAsync(new AsyaReceivedMessage("a", [2], DateTimeOffset.UtcNow, Guid.NewGuid()), token).AsTask());
        Assert.Equal(new byte[] { 1 }, listener.DrainBuffered().Single().ToArray());
    }
}
