using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Reliability.Load;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 2: misbehaving senders against a live listener that keeps serving well-behaved senders meanwhile. The broken
/// ones are never acked, the counters say exactly what happened to each, and the well-behaved senders' p99 latency
/// stays below the read timeout. Serial: it asserts a latency bound.
/// </summary>
[Collection(Serial.Name)]
public sealed class MisbehavingSenderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task BrokenSendersAreNeverAckedAreCountedAndDoNotSlowDownWellBehavedOnes()
    {
        using var mesh = TempMesh.InOwnParent();
        await using var listener = SocketListener.Start(mesh.Mesh, "victim", new SocketListenerOptions { ReadTimeout = ReadTimeout, MaxBodyLength = 1024 * 1024 });
        var path = listener.Address;

        // The well-behaved: 4 senders sending 1 KiB messages back to back until the broken ones are done, and a consumer.
        using var stopGood = new CancellationTokenSource();
        var latencies = new ConcurrentBag<double>();
        var goodBodies = new ConcurrentDictionary<string, int>();
        var received = new ConcurrentDictionary<string, int>();
        var neverReadsTheAckBody = LoadBody.Create(9, 99, 0, 300);
        var consumer = Task.Run(async () =>
        {
            await foreach (var message in listener.ReadAllAsync())
            {
                received.AddOrUpdate(Convert.ToHexString(message.Body.Span), 1, (_, count) => count + 1);
            }
        });
        var good = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
        {
            var socketSender = mesh.Sender(ackTimeout: TimeSpan.FromSeconds(20));
            for (var index = 0; !stopGood.IsCancellationRequested; index++)
            {
                var body = LoadBody.Create(1, sender, index, 1024);
                goodBodies[Convert.ToHexString(body)] = 1;
                var clock = Stopwatch.StartNew();
                await socketSender.SendAsync("victim", body);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        })).ToArray();
        await Bounds.Eventually(() => latencies.Count >= 20, "the well-behaved senders are going");

        // The broken ones, all at once.
        var replies = new ConcurrentDictionary<string, ReplyKind>();
        async Task Misbehave(string name, Func<Socket, Task> act, bool readReply = true)
        {
            using var socket = await Raw.ConnectAsync(path);
            await act(socket);
            if (readReply)
            {
                replies[name] = (await Raw.ReadReplyAsync(socket, ReadTimeout + TimeSpan.FromSeconds(10))).Kind;
            }
        }

        using var killed = HarnessProcess.Start("midframe", mesh.Path, "victim", "1048576", "65536");
        var neverReads = Raw.NewSocket();
        var broken = new List<Task>
        {
            // Connect and close, five times.
            Task.WhenAll(Enumerable.Range(0, 5).Select(i => Misbehave($"connect-close-{i}", socket =>
            {
                socket.Shutdown(SocketShutdown.Send);
                return Task.CompletedTask;
            }))),
            // Connect and stay silent: 100 at once, each until the listener's read timeout closes it.
            Task.WhenAll(Enumerable.Range(0, 100).Select(i => Misbehave($"silent-{i}", _ => Task.CompletedTask))),
            // Half a header, then close.
            Misbehave("partial-header", async socket =>
            {
                await Raw.SendAllAsync(socket, new byte[] { 0, 0 });
                socket.Shutdown(SocketShutdown.Send);
            }),
            // A header for 1,000 bytes and 500 of them, then close.
            Misbehave("partial-body", async socket =>
            {
                await Raw.SendAllAsync(socket, Raw.Header(1000).Concat(new byte[500]).ToArray());
                socket.Shutdown(SocketShutdown.Send);
            }),
            // A length over the cap (1 MiB + 1 here; the sidecar's 100 MiB cap is the default), and the bytes after it.
            Misbehave("over-cap", async socket => await Raw.SendAllAsync(socket, Raw.Header(1024 * 1024 + 1).Concat(new byte[4096]).ToArray())),
            // A drip: one byte every 300 ms, so no single read is slow but the whole frame never arrives in time.
            Misbehave("drip", async socket =>
            {
                foreach (var b in Raw.Header(16))
                {
                    await Raw.SendAllAsync(socket, new[] { b });
                    await Task.Delay(300);
                }

                for (var i = 0; i < 10; i++)
                {
                    try
                    {
                        await socket.SendAsync(new byte[] { 7 }, SocketFlags.None);
                    }
                    catch (SocketException)
                    {
                        break;
                    }

                    await Task.Delay(300);
                }
            }),
            // A complete frame from a sender that never reads the ack: the listener holds the message, so it is acked
            // (the byte waits in the kernel's buffer) and the connection closed; nobody waits for the reader.
            Task.Run(async () =>
            {
                await neverReads.ConnectAsync(new UnixDomainSocketEndPoint(path)).Within();
                await Raw.SendAllAsync(neverReads, Raw.Frame(neverReadsTheAckBody));
            }),
            // A sender process killed with SIGKILL mid-frame (1 MiB announced, 64 KiB written).
            Task.Run(async () =>
            {
                await killed.ExpectAsync("MIDFRAME");
                killed.Kill();
            }),
        };
        await Task.WhenAll(broken).Within();
        await Bounds.Eventually(
            () => listener.Counters.RejectedTotal >= 110,
            () => $"every broken connection is accounted for ({listener.Counters.RejectedTotal} of 110)");
        stopGood.Cancel();
        await Task.WhenAll(good).Within();

        // Not one broken sender got an ack byte: each saw the listener close (EOF, or a reset when bytes were left unread).
        Assert.Equal(109, replies.Count);
        Assert.All(replies, pair => Assert.True(pair.Value is ReplyKind.Eof or ReplyKind.Reset, $"{pair.Key}: {pair.Value}"));

        // The sender that never read: its message was delivered, and the listener had closed the connection without waiting.
        await Bounds.Eventually(() => received.ContainsKey(Convert.ToHexString(neverReadsTheAckBody)), "the never-reading sender's message reaches the consumer");
        Assert.Equal((ReplyKind.Ack, ReplyKind.Eof), ((await Raw.ReadReplyAsync(neverReads)).Kind, (await Raw.ReadReplyAsync(neverReads)).Kind));
        neverReads.Dispose();

        // The counters say exactly what happened.
        var counters = listener.Counters;
        Assert.Equal(5, counters.RejectedFor(RejectReason.EmptyConnection));
        Assert.Equal(101, counters.RejectedFor(RejectReason.ReadTimeout));
        Assert.Equal(1, counters.RejectedFor(RejectReason.TruncatedHeader));
        Assert.Equal(2, counters.RejectedFor(RejectReason.TruncatedBody));
        Assert.Equal(1, counters.RejectedFor(RejectReason.FrameTooLarge));
        Assert.Equal(110, counters.RejectedTotal);
        Assert.Equal(goodBodies.Count + 1, counters.Received);
        Assert.Equal(goodBodies.Count + 1, counters.Acked);
        Assert.Equal(0, counters.AckFailed);

        // Every well-behaved message arrived exactly once, and their p99 latency stayed below the read timeout.
        await Bounds.Eventually(() => received.Count == goodBodies.Count + 1, () => $"all {goodBodies.Count} well-behaved messages arrive ({received.Count - 1})");
        Assert.All(received, pair => Assert.Equal(1, pair.Value));
        var sorted = latencies.Order().ToArray();
        var p99 = LoadSenders.Percentile(sorted, 0.99);
        output.WriteLine(FormattableString.Invariant(
            $"well-behaved sends during the attack: {sorted.Length}, p50 {LoadSenders.Percentile(sorted, 0.5):0.0} ms, p99 {p99:0.0} ms, max {sorted[^1]:0.0} ms (read timeout {ReadTimeout.TotalMilliseconds} ms)"));
        output.WriteLine("listener counters: received " + counters.Received + ", acked " + counters.Acked + ", rejected "
            + string.Join(", ", counters.Rejected.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}")));
        Assert.True(p99 < ReadTimeout.TotalMilliseconds, $"p99 {p99:0.0} ms over {sorted.Length} sends (max {sorted[^1]:0.0} ms) should stay below the {ReadTimeout.TotalMilliseconds} ms read timeout");
        await listener.DisposeAsync();
        await consumer.Within();
    }

    [Fact]
    public async Task ASenderThatNeverReadsTheAckDoesNotHoldTheListener()
    {
        // With room for a single connection at a time, a never-reading sender would block everyone if the listener waited for it.
        using var mesh = TempMesh.InOwnParent();
        await using var listener = SocketListener.Start(mesh.Mesh, "one", new SocketListenerOptions { MaxConcurrentConnections = 1, ReadTimeout = ReadTimeout });
        using var neverReads = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(neverReads, Raw.Frame(new byte[100]));
        await mesh.Sender(ackTimeout: TimeSpan.FromSeconds(5)).SendAsync("one", new byte[10]).Within();
        var lengths = new[] { (await listener.ReceiveAsync().Within()).Length, (await listener.ReceiveAsync().Within()).Length };
        Assert.Equal([10, 100], lengths.Order());
        Assert.Equal(2, listener.Counters.Acked);
    }
}
