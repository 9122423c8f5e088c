using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Reliability.Load;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 5: a listener disposed under load never acks a message its consumer does not see; a listener whose socket
/// file is replaced notices, says so and leaves the new file alone; a restart after a crash replaces the stale file.
/// (pwsh exit and module removal: tests/Pester/Reliability.Tests.ps1.)
/// </summary>
public sealed class LifecycleTests
{
    [Theory]
    [InlineData(AckPolicy.WhenBuffered)]
    [InlineData(AckPolicy.WhenTaken)]
    public async Task DisposingMidSendNeverAcksAMessageTheConsumerDoesNotSee(AckPolicy policy)
    {
        var random = new Random();
        long acked = 0, errors = 0, ackedButErrorSeen = 0;
        for (var round = 0; round < 8; round++)
        {
            using var mesh = TempMesh.InOwnParent();
            var listener = SocketListener.Start(mesh.Mesh, "busy", new SocketListenerOptions { AckPolicy = policy, BufferCapacity = 4 });
            var seen = new ConcurrentDictionary<string, int>();
            var consumer = Task.Run(async () =>
            {
                await foreach (var message in listener.ReadAllAsync())
                {
                    seen.AddOrUpdate(Tag(message.Body.Span), 1, (_, count) => count + 1);
                    await Task.Delay(random.Next(0, 2));
                }
            });

            // 12 senders, bodies from 64 B to 512 KiB so some are mid-body when the listener goes; each stops at its first error.
            var outcomes = new ConcurrentDictionary<string, bool>();
            var ackedBefore = acked;
            var senders = Enumerable.Range(0, 12).Select(sender => Task.Run(async () =>
            {
                var socketSender = new SocketSender(mesh.Mesh, new SendOptions { ConnectAttempts = 2, ConnectRetryInterval = TimeSpan.FromMilliseconds(10), AckTimeout = TimeSpan.FromSeconds(15) });
                for (var index = 0; ; index++)
                {
                    var body = LoadBody.Create(round, sender, index, LoadBody.Size(round, sender, index, 64, 512 * 1024));
                    try
                    {
                        await socketSender.SendAsync("busy", body);
                        outcomes[Tag(body)] = true;
                    }
                    catch (AsyaTransportException)
                    {
                        outcomes[Tag(body)] = false;
                        return;
                    }
                }
            })).ToArray();

            await Task.Delay(random.Next(30, 300));
            await listener.DisposeAsync().AsTask().Within();

            // Every sender ends: with an ack, or an error. None hangs.
            await Task.WhenAll(senders).Within();
            await consumer.Within();

            foreach (var (tag, wasAcked) in outcomes)
            {
                if (wasAcked)
                {
                    acked++;
                    Assert.True(seen.TryGetValue(tag, out var count), $"round {round}: message {tag} was acked but the consumer never saw it");
                    Assert.Equal(1, count);
                }
                else
                {
                    errors++;
                    ackedButErrorSeen += seen.ContainsKey(tag) ? 1 : 0;
                }
            }

            // The consumer saw nothing that was not sent, and nothing twice.
            Assert.All(seen, pair => Assert.True(outcomes.ContainsKey(pair.Key) && pair.Value == 1, $"round {round}: {pair.Key} seen {pair.Value} time(s)"));
            // Every frame read whole was acked (or its ack failed), or withdrawn unacked (the listener closing, or its sender gone).
            var counters = listener.Counters;
            var withdrawn = counters.RejectedFor(RejectReason.ListenerClosing) + counters.RejectedFor(RejectReason.SenderGaveUp);
            Assert.InRange(counters.Received, counters.Acked + counters.AckFailed, counters.Acked + counters.AckFailed + withdrawn);
            Assert.Equal(acked - ackedBefore, counters.Acked);
            Assert.False(File.Exists(mesh.SocketPath("busy")));
        }

        Assert.True(acked > 0 && errors > 0, $"acked {acked}, errors {errors}: the dispose should land mid-send");

        // An error for a message the consumer did see is possible (the ack was written as the sender gave up); the
        // reverse, an ack for a message it never saw, is what the assertions above exclude.
        Assert.True(ackedButErrorSeen <= errors);
    }

    [Fact]
    public async Task AListenerWhoseFileIsTakenOverNoticesSaysSoAndLeavesTheNewFileAlone()
    {
        using var mesh = TempMesh.InOwnParent();
        var options = new SocketListenerOptions { SocketCheckInterval = TimeSpan.FromMilliseconds(100) };
        var first = SocketListener.Start(mesh.Mesh, "shared", options);
        await using var second = SocketListener.Start(mesh.Mesh, "shared", options with { Force = true });

        var replaced = await Assert.ThrowsAsync<AsyaTransportException>(() => first.Completion).Within();
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, replaced.Kind);
        Assert.Contains("removed or replaced by another listener", replaced.Message, StringComparison.Ordinal);
        var receiveError = await Assert.ThrowsAsync<AsyaTransportException>(() => first.ReceiveAsync().AsTask()).Within();
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, receiveError.Kind);

        var inode = Unix.Stat(second.Address)!.Inode;
        await first.DisposeAsync();
        Assert.Equal(inode, Unix.Stat(second.Address)?.Inode);
        await mesh.Sender().SendAsync("shared", "after"u8.ToArray()).Within();
        Assert.Equal("after"u8.ToArray(), (await second.ReceiveAsync().Within()).ToArray());
    }

    [Fact]
    public async Task AListenerReplacedTheSidecarWayNoticesAndDoesNotDeleteTheNewSocket()
    {
        // The sidecar removes whatever is at the path and binds there: no rename, a fresh inode.
        using var mesh = TempMesh.InOwnParent();
        var ours = SocketListener.Start(mesh.Mesh, "actor", new SocketListenerOptions { SocketCheckInterval = TimeSpan.FromMilliseconds(100) });
        var path = ours.Address;
        File.Delete(path);
        using var sidecar = new RawServer(path);
        var replaced = await Assert.ThrowsAsync<AsyaTransportException>(() => ours.Completion).Within();
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, replaced.Kind);
        await ours.DisposeAsync();
        Assert.True(Unix.Stat(path)?.IsSocket, "the sidecar's socket must survive our dispose");

        var send = mesh.Sender().SendAsync("actor", "x"u8.ToArray()).AsTask();
        using var connection = await sidecar.AcceptAsync();
        Assert.Equal("x"u8.ToArray(), (await RawServer.ReadFrameAsync(connection)).Body);
        await Raw.SendAllAsync(connection, new byte[] { 1 });
        await send.Within();
    }

    [Fact]
    public async Task AListenerWhoseFileIsRemovedNoticesAndStops()
    {
        using var mesh = TempMesh.InOwnParent();
        var listener = SocketListener.Start(mesh.Mesh, "gone", new SocketListenerOptions { SocketCheckInterval = TimeSpan.FromMilliseconds(100) });
        File.Delete(listener.Address);
        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.Completion).Within();
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, error.Kind);
        await listener.DisposeAsync();
        Assert.Empty(mesh.Entries());
    }

    [Fact]
    public async Task ARestartAfterACrashReplacesTheStaleFile()
    {
        using var mesh = TempMesh.InOwnParent();
        var path = mesh.SocketPath("phoenix");

        // A listener process, killed with SIGKILL: no cleanup runs, the socket file stays behind, stale.
        using (var crashed = HarnessProcess.Start("listen", mesh.Path, "phoenix"))
        {
            Assert.Equal(path, await crashed.ExpectAsync("READY "));
            var inode = Unix.Stat(path)!.Inode;
            crashed.Kill();
            Assert.Equal(inode, Unix.Stat(path)?.Inode);
        }

        var refused = await Assert.ThrowsAsync<AsyaTransportException>(() => mesh.Sender(dialAttempts: 2).SendAsync("phoenix", new byte[1]).AsTask()).Within();
        Assert.Equal(AsyaErrorKind.ConnectionRefused, refused.Kind);

        // The restarted process replaces the stale file without -Force and receives.
        using var restarted = HarnessProcess.Start("listen", mesh.Path, "phoenix");
        Assert.Equal(path, await restarted.ExpectAsync("READY "));
        await mesh.Sender().SendAsync("phoenix", new byte[42]).Within();
        Assert.Equal("42", await restarted.ExpectAsync("RECV "));

        // And so does an in-process listener after that one crashes too.
        restarted.Kill();
        await using var again = SocketListener.Start(mesh.Mesh, "phoenix");
        await mesh.Sender().SendAsync("phoenix", new byte[7]).Within();
        Assert.Equal(7, (await again.ReceiveAsync().Within()).Length);
    }

    [Fact]
    public async Task DisposeWithSilentConnectionsOpenEndsAtOnceAndClosesThem()
    {
        // Stopping does not wait for the read timeout of peers that never send.
        using var mesh = TempMesh.InOwnParent();
        var listener = SocketListener.Start(mesh.Mesh, "quiet", new SocketListenerOptions { ReadTimeout = TimeSpan.FromMinutes(5) });
        var silent = new List<Socket>();
        for (var i = 0; i < 20; i++)
        {
            silent.Add(await Raw.ConnectAsync(listener.Address));
        }

        var clock = Stopwatch.StartNew();
        await listener.DisposeAsync().AsTask().Within(TimeSpan.FromSeconds(10));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var socket in silent)
        {
            Assert.True((await Raw.ReadReplyAsync(socket, TimeSpan.FromSeconds(10))).Kind is ReplyKind.Eof or ReplyKind.Reset);
            socket.Dispose();
        }
    }

    private static string Tag(ReadOnlySpan<byte> body) => Convert.ToHexString(body[..LoadBody.HeaderSize]);
}
