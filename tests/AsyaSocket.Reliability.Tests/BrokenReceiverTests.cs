using System.Diagnostics;
using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 3: the core's sender against receivers that are late, stale, broken or forbidden. Each ends in delivery or
/// in a specific error within a bounded time, and only connect failures are retried.
/// </summary>
public sealed class BrokenReceiverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ASocketThatAppearsThreeSecondsAfterTheFirstAttemptIsDeliveredWithinTheRetryWindow()
    {
        // The sidecar's defaults: 60 attempts 500 ms apart, about 29.5 s in all.
        using var mesh = TempMesh.InOwnParent();
        var sender = new SocketSender(mesh.Mesh);
        var clock = Stopwatch.StartNew();
        var send = sender.SendAsync("late", "hello"u8.ToArray()).AsTask();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(send.IsCompleted, "the send should still be retrying");
        await using var listener = SocketListener.Start(mesh.Mesh, "late");
        var result = await send.Within();
        output.WriteLine($"delivered after {result.Attempts} attempts, {clock.Elapsed.TotalSeconds:0.00} s after the first");
        Assert.InRange(clock.Elapsed.TotalSeconds, 2.95, 29.5);
        Assert.InRange(result.Attempts, 2, 59);
        Assert.Equal("hello"u8.ToArray(), (await listener.ReceiveAsync().Within()).ToArray());
    }

    [Fact]
    public async Task AStaleSocketFileIsRefusedUntilAListenerReplacesIt()
    {
        using var mesh = TempMesh.InOwnParent();
        var path = mesh.SocketPath("stale");
        Unix.CreateStaleSocket(path);

        // Refused on every attempt, and the error says why and how often it tried.
        var refused = await Assert.ThrowsAsync<AsyaTransportException>(() => mesh.Sender(dialAttempts: 3).SendAsync("stale", new byte[1]).AsTask()).Within();
        Assert.Equal(AsyaErrorKind.ConnectionRefused, refused.Kind);
        Assert.Equal(3, refused.Attempts);
        Assert.Contains("after 3 attempts", refused.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", refused.Message, StringComparison.Ordinal);

        // A sender still retrying gets through once a listener replaces the stale file (no -Force needed for a stale one).
        var retrying = mesh.Sender(dialAttempts: 60, dialIntervalMs: 100).SendAsync("stale", "late"u8.ToArray()).AsTask();
        await Task.Delay(500);
        Assert.False(retrying.IsCompleted);
        await using var listener = SocketListener.Start(mesh.Mesh, "stale");
        var result = await retrying.Within();
        Assert.True(result.Attempts > 1, $"attempts {result.Attempts}");
        Assert.Equal("late"u8.ToArray(), (await listener.ReceiveAsync().Within()).ToArray());
    }

    [Fact]
    public async Task AReceiverThatClosesWithoutAckingIsReadAckEofAndNotRetried()
    {
        using var mesh = TempMesh.InOwnParent();
        using var server = new RawServer(mesh.SocketPath("rude"));
        var send = mesh.Sender().SendAsync("rude", "body"u8.ToArray()).AsTask();
        using (var connection = await server.AcceptAsync())
        {
            Assert.Equal("body"u8.ToArray(), (await RawServer.ReadFrameAsync(connection)).Body);
        }

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send).Within();
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.StartsWith("read ack: EOF", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Attempts);
        await AssertNoOtherConnection(server);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0xFF)]
    public async Task AWrongAckByteIsUnexpectedAckNamingTheByteAndNotRetried(byte wrong)
    {
        using var mesh = TempMesh.InOwnParent();
        using var server = new RawServer(mesh.SocketPath("odd"));
        var send = mesh.Sender().SendAsync("odd", "body"u8.ToArray()).AsTask();
        using (var connection = await server.AcceptAsync())
        {
            await RawServer.ReadFrameAsync(connection);
            await Raw.SendAllAsync(connection, new[] { wrong });
        }

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send).Within();
        Assert.Equal(AsyaErrorKind.ProtocolViolation, error.Kind);
        Assert.StartsWith($"unexpected ack byte {wrong} ", error.Message, StringComparison.Ordinal);
        await AssertNoOtherConnection(server);
    }

    [Fact]
    public async Task AReceiverThatNeverAcksTriggersOurAckTimeoutAndTheErrorSaysSo()
    {
        using var mesh = TempMesh.InOwnParent();
        using var server = new RawServer(mesh.SocketPath("mute"));
        var timeout = TimeSpan.FromMilliseconds(700);
        var clock = Stopwatch.StartNew();
        var send = mesh.Sender(ackTimeout: timeout).SendAsync("mute", "body"u8.ToArray()).AsTask();
        using var connection = await server.AcceptAsync();
        await RawServer.ReadFrameAsync(connection);
        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send).Within();
        Assert.Equal(AsyaErrorKind.AckTimeout, error.Kind);
        // Timers may fire a millisecond or so before the stopwatch agrees; the bound is what matters.
        Assert.InRange(clock.Elapsed.TotalSeconds, timeout.TotalSeconds - 0.05, timeout.TotalSeconds + 5);
        Assert.Contains("No ack from", error.Message, StringComparison.Ordinal);
        Assert.Contains("within 0.7 s", error.Message, StringComparison.Ordinal);

        // Our side closed the connection: the receiver sees EOF, not a connection held forever.
        Assert.Equal(ReplyKind.Eof, (await Raw.ReadReplyAsync(connection)).Kind);
    }

    [Fact]
    public async Task AReceiverThatNeverReadsABigBodyStillEndsInTheAckTimeout()
    {
        // 8 MiB cannot fit in the socket buffers, so the write itself blocks: the same timeout bounds it.
        using var mesh = TempMesh.InOwnParent();
        using var server = new RawServer(mesh.SocketPath("stuck"));
        var clock = Stopwatch.StartNew();
        var send = mesh.Sender(ackTimeout: TimeSpan.FromMilliseconds(700)).SendAsync("stuck", new byte[8 * 1024 * 1024]).AsTask();
        using var connection = await server.AcceptAsync();
        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send).Within();
        Assert.Equal(AsyaErrorKind.AckTimeout, error.Kind);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.65, 6);
    }

    [Fact]
    public async Task AReceiverThatStopsAcceptingIsRetriedThenFailsNamingTheAttempts()
    {
        // A listening socket that never accepts, its backlog full: a Unix-socket connect then fails at once with EAGAIN
        // (as Go's dial does for the sidecar), which is a connect failure, so it is retried, then reported.
        using var mesh = TempMesh.InOwnParent();
        using var server = new RawServer(mesh.SocketPath("full"), backlog: 0);
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 8; i++)
            {
                var filler = Raw.NewSocket();
                fillers.Add(filler);
                try
                {
                    await filler.ConnectAsync(new UnixDomainSocketEndPoint(mesh.SocketPath("full"))).Within();
                }
                catch (SocketException)
                {
                    break;
                }
            }

            var sender = new SocketSender(mesh.Mesh, new SendOptions { ConnectAttempts = 3, ConnectRetryInterval = TimeSpan.FromMilliseconds(50), ConnectTimeout = TimeSpan.FromMilliseconds(300) });
            var error = await Assert.ThrowsAsync<AsyaTransportException>(() => sender.SendAsync("full", new byte[1]).AsTask()).Within();
            Assert.Equal(AsyaErrorKind.ConnectFailed, error.Kind);
            Assert.Equal(3, error.Attempts);
            Assert.StartsWith($"connect to {mesh.SocketPath("full")} after 3 attempts: ", error.Message, StringComparison.Ordinal);

            // Once the receiver accepts again (the fillers gone), the same sender gets through.
            fillers.ForEach(filler => filler.Dispose());
            var send = sender.SendAsync("full", "ok"u8.ToArray()).AsTask();
            for (var served = 0; ; served++)
            {
                Assert.True(served < 16, "only the fillers and the sender should connect");
                using var connection = await server.AcceptAsync();
                var header = await Raw.ReadExactlyAsync(connection, 4);
                if (header.Length == 4)
                {
                    Assert.Equal("ok"u8.ToArray(), await Raw.ReadExactlyAsync(connection, 2));
                    await Raw.SendAllAsync(connection, new byte[] { 1 });
                    break;
                }
            }

            await send.Within();
        }
        finally
        {
            fillers.ForEach(filler => filler.Dispose());
        }
    }

    [AsAnotherUserFact]
    public async Task ASenderThatMayNotWriteTheSocketGetsPermissionDeniedAtOnce()
    {
        // Root's listener, socket mode 0755 (the sidecar's usual, from the umask); the sender runs as nobody.
        using var mesh = TempMesh.InOwnParent();
        await using var listener = SocketListener.Start(mesh.Mesh, "guarded", new SocketListenerOptions { SocketMode = Unix.Mode("755") });
        using var peer = HarnessProcess.StartAsUser(Unix.Nobody, "send", mesh.Path, "guarded", "10", "--dial-attempts", "60", "--dial-interval-ms", "500");
        var words = (await peer.ExpectAsync("ERROR ")).Split(' ', 4);
        Assert.Equal("PermissionDenied", words[0]);
        Assert.Equal("1", words[1]); // Not retried: another attempt cannot fix a permission.
        Assert.InRange(int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture), 0, 2000);
        Assert.Contains("permission denied", words[3], StringComparison.Ordinal);
        Assert.Equal(2, await peer.ExitCodeAsync());
        Assert.Equal(0, listener.Counters.Received + listener.Counters.RejectedTotal);
    }

    [AsAnotherUserTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AListenerThatMayNotReplaceAnotherUsersSocketSaysSo(bool force)
    {
        // nobody listens as an actor whose socket root owns, in root's 0755 mesh: without -Force it cannot tell whether
        // the socket is live (the probe is refused); with -Force it cannot bind in the directory. Both: PermissionDenied.
        using var mesh = TempMesh.InOwnParent();
        await using var listener = SocketListener.Start(mesh.Mesh, "owned");
        using var peer = force
            ? HarnessProcess.StartAsUser(Unix.Nobody, "listen", mesh.Path, "owned", "--force")
            : HarnessProcess.StartAsUser(Unix.Nobody, "listen", mesh.Path, "owned");
        var error = await peer.ExpectAsync("ERROR ");
        Assert.StartsWith("PermissionDenied ", error, StringComparison.Ordinal);
        Assert.Equal(2, await peer.ExitCodeAsync());
        Assert.True(Unix.Stat(listener.Address)?.IsSocket);
        Assert.Equal(new[] { "owned.sock" }, mesh.Entries());
        await mesh.Sender().SendAsync("owned", new byte[1]).Within();
    }

    private static async Task AssertNoOtherConnection(RawServer server)
    {
        var another = server.Listener.AcceptAsync();
        var first = await Task.WhenAny(another, Task.Delay(Bounds.Quiet));
        Assert.NotSame(another, first);
    }
}
