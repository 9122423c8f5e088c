using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Many senders at once, a silent peer, the two ack policies, and disposing while senders are mid-send: nothing is
/// lost or duplicated, and no sender ever gets an ack for a message the consumer does not get.
/// </summary>
[Collection(Serial.Name)]
public class ConcurrencyTests
{
    private static readonly TimeSpan BigJob = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SixteenConcurrentSendersOfAThousandEachAreReceivedExactlyOnceAndInOrderPerSender()
    {
        const int Senders = 16, PerSender = 1000;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var consumer = Task.Run(async () =>
        {
            var texts = new List<string>(Senders * PerSender);
            while (texts.Count < Senders * PerSender)
            {
                texts.Add((await listener.ReceiveAsync()).GetText());
            }

            return texts;
        });

        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            var sender = mesh.Sender();
            for (var i = 0; i < PerSender; i++)
            {
                await sender.SendAsync("a", Encoding.UTF8.GetBytes($"{s}:{i}"));
            }
        })).ToArray();
        await Task.WhenAll(senders).WaitAsync(BigJob);
        var received = await consumer.WaitAsync(BigJob);

        Assert.Equal(Senders * PerSender, received.Distinct().Count());
        var bySender = received.Select(t => t.Split(':')).GroupBy(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        foreach (var group in bySender)
        {
            Assert.Equal(Enumerable.Range(0, PerSender), group); // this sender's messages, in the order it sent them
        }

        Assert.Equal(Senders, bySender.Count());
        var counters = listener.Counters;
        Assert.Equal((16_000L, 16_000L, 0L, 0L), (counters.Received, counters.Acked, counters.AckFailed, counters.RejectedTotal));
    }

    [Fact]
    public async Task SilentPeerDoesNotDelayOtherSenders()
    {
        var readTimeout = TimeSpan.FromSeconds(3);
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { ReadTimeout = readTimeout });

        // Connected first (the kernel queues connections in order), then silent: it wedges the reference receiver.
        using var silent = await Raw.ConnectAsync(listener.Address);
        var watch = Stopwatch.StartNew();
        var sender = mesh.Sender();
        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync("a", Encoding.UTF8.GetBytes($"m{i}")).Within();
        }

        watch.Stop();
        Assert.Equal(0, listener.Counters.RejectedFor(RejectReason.ReadTimeout)); // the silent peer was still connected ...
        Assert.True(watch.Elapsed < readTimeout / 2, $"five sends took {watch.Elapsed.TotalMilliseconds} ms next to a silent peer"); // ... and nobody waited for it
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal($"m{i}", (await listener.ReceiveAsync().Within()).GetText());
        }

        // The silent peer itself is closed, unacked, once its read timeout expires.
        var reply = await Raw.ReadReplyAsync(silent, readTimeout + Bounds.Hang);
        Assert.True(reply.Kind is ReplyKind.Eof or ReplyKind.Reset, $"got {reply.Kind}");
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.ReadTimeout) == 1, "the silent peer is counted as a read timeout");
    }

    // A small body's rest is read without blocking, waiting in poll(2) between pieces; a large one's in one blocking,
    // timed read (SocketListener.WaitAllFrom): both must give up on the frame at the inline wait's deadline.
    [Theory]
    [InlineData(6_000, 1, 0.2)]
    [InlineData(300_000, 256, 1.0)]
    public async Task PeerTricklingFasterThanTheInlineWaitDoesNotDelayOtherSenders(int bodyLength, int piece, double gapMs)
    {
        using var mesh = new TempMesh();
        // A 20 ms inline wait, far longer than the trickle's gaps, so no single wait for its next bytes runs out.
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineWait = TimeSpan.FromMilliseconds(20) });

        // Connected, then a header and the body's first bytes at once, then a piece every gap, each well inside the
        // inline wait, for more than a second in all: every single read of it finds bytes, so only the listener's
        // deadline for the whole frame sends it elsewhere. On a thread of its own, so the pieces come on time.
        using var trickler = Raw.NewSocket();
        var frame = Raw.Frame(Enumerable.Range(0, bodyLength).Select(i => (byte)i).ToArray());
        var trickle = Task.Factory.StartNew(
            () =>
            {
                trickler.Connect(new UnixDomainSocketEndPoint(listener.Address));
                var pace = Stopwatch.StartNew();
                trickler.Send(frame.AsSpan(0, 16));
                for (var i = 16; i < frame.Length; i += piece)
                {
                    var next = pace.Elapsed + TimeSpan.FromMilliseconds(gapMs);
                    while (pace.Elapsed < next)
                    {
                        Thread.SpinWait(20);
                    }

                    trickler.Send(frame.AsSpan(i, Math.Min(piece, frame.Length - i)));
                }

                return pace.Elapsed;
            },
            TaskCreationOptions.LongRunning);

        await Task.Delay(100); // the trickle is under way
        await mesh.Sender().SendAsync("a", "quick"u8.ToArray()).Within();
        Assert.False(trickle.IsCompleted, "the quick send waited for the whole trickle");
        Assert.Equal("quick", (await listener.ReceiveAsync().Within()).GetText());

        var took = await trickle.Within();
        Assert.True(took > TimeSpan.FromSeconds(1), $"the trickle took only {took.TotalMilliseconds} ms");
        Assert.Equal(ReplyKind.Ack, (await Raw.ReadReplyAsync(trickler)).Kind);
        var trickled = await listener.ReceiveAsync().Within();
        Assert.Equal(frame.AsSpan(4).ToArray(), trickled.ToArray());
    }

    [Fact]
    public async Task WhenTakenAcksOnlyWhenAConsumerTakesTheMessage()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.WhenTaken });
        var sender = mesh.Sender();

        var send = sender.SendAsync("a", "first"u8.ToArray()).AsTask();
        await Bounds.Eventually(() => listener.Counters.Received == 1, "the frame is read");
        await Bounds.AssertStillPending(send, "a send whose message nobody took");
        Assert.Equal(0, listener.Counters.Acked);

        Assert.Equal("first", (await listener.ReceiveAsync().Within()).GetText());
        await send.Within();

        // The sender can read the ack byte a moment before the listener counts it.
        await Bounds.Eventually(() => listener.Counters.Acked == 1, "the ack is counted");

        // DrainBuffered takes too, so it acks.
        var drained = new[] { sender.SendAsync("a", "second"u8.ToArray()).AsTask(), sender.SendAsync("a", "third"u8.ToArray()).AsTask() };
        // Buffered, not just read: a frame is counted as received a moment before it enters the buffer.
        await Bounds.Eventually(() => listener.Counters.Buffered == 2, "both frames are buffered");
        var texts = listener.DrainBuffered().Select(m => m.GetText()).Order().ToArray();
        Assert.Equal(new[] { "second", "third" }, texts);
        await Task.WhenAll(drained).Within();
    }

    [Fact]
    public async Task WhenTakenSenderWaitingAtDisposeGetsAnErrorNeverAnAck()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = AckPolicy.WhenTaken });
        var send = mesh.Sender().SendAsync("a", "never taken"u8.ToArray()).AsTask();
        await Bounds.Eventually(() => listener.Counters.Received == 1, "the frame is read");

        await listener.DisposeAsync().AsTask().Within();
        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);

        // Withdrawn, not delivered: the consumer cannot get it either.
        Assert.Empty(listener.DrainBuffered());
        Assert.Equal(AsyaErrorKind.ReceiverClosed, (await Assert.ThrowsAsync<AsyaTransportException>(async () => await listener.ReceiveAsync().Within())).Kind);
        var counters = listener.Counters;
        Assert.Equal((0L, 1L), (counters.Acked, counters.RejectedFor(RejectReason.ListenerClosing)));
    }

    [Theory]
    [InlineData(AckPolicy.WhenBuffered, false)]
    [InlineData(AckPolicy.WhenBuffered, true)]
    [InlineData(AckPolicy.WhenTaken, false)]
    [InlineData(AckPolicy.WhenTaken, true)]
    public async Task DisposingWhileSendersAreMidSendNeverAcksWithoutDelivery(AckPolicy policy, bool consumerRunsDuringDispose)
    {
        const int Senders = 16, BufferCapacity = 4;
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { AckPolicy = policy, BufferCapacity = BufferCapacity });
        var acked = new ConcurrentBag<string>();
        var received = new ConcurrentQueue<string>();
        using var consumerGate = new SemaphoreSlim(1, 1);

        var consumer = Task.Run(async () =>
        {
            while (true)
            {
                await consumerGate.WaitAsync();
                try
                {
                    received.Enqueue((await listener.ReceiveAsync()).GetText());
                }
                catch (AsyaTransportException error) when (error.Kind == AsyaErrorKind.ReceiverClosed)
                {
                    return;
                }
                finally
                {
                    consumerGate.Release();
                }

                await Task.Delay(1); // slower than the senders, so they pile up
            }
        });

        var senders = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            var sender = mesh.Sender(dialAttempts: 1);
            for (var i = 0; i < 100_000; i++)
            {
                var id = $"{s}:{i}";
                try
                {
                    await sender.SendAsync("a", Encoding.UTF8.GetBytes(id));
                    acked.Add(id);
                }
                catch (AsyaTransportException error) when (error.Kind is AsyaErrorKind.ActorNotFound or AsyaErrorKind.ConnectionRefused)
                {
                    return; // the listener is gone
                }
                catch (AsyaTransportException)
                {
                    // Not acked (closed mid-send): the next send finds the socket gone.
                }
            }
        })).ToArray();

        await Bounds.Eventually(() => acked.Count >= 200, "200 messages are acked");
        if (!consumerRunsDuringDispose)
        {
            // Stop taking, and let frames pile up beyond the buffer: those senders are mid-send at dispose.
            await consumerGate.WaitAsync();
            await Bounds.Eventually(() => listener.Counters.Received - received.Count >= BufferCapacity + 2, "senders are waiting mid-send");
        }

        await listener.DisposeAsync().AsTask().Within();
        if (!consumerRunsDuringDispose)
        {
            consumerGate.Release();
        }

        await Task.WhenAll(senders).WaitAsync(BigJob);
        await consumer.WaitAsync(Bounds.Hang);
        foreach (var message in listener.DrainBuffered())
        {
            received.Enqueue(message.GetText());
        }

        var delivered = received.ToList();
        Assert.Equal(delivered.Count, delivered.Distinct().Count()); // nothing twice
        var ackedWithoutDelivery = acked.Except(delivered).ToList();
        Assert.True(ackedWithoutDelivery.Count == 0, $"acked but never delivered: {string.Join(", ", ackedWithoutDelivery.Take(10))}");

        // Every delivered message had exactly one ack attempt; withdrawn ones had none.
        var counters = listener.Counters;
        Assert.Equal(delivered.Count, counters.Acked + counters.AckFailed);
        Assert.True(acked.Count <= counters.Acked);
        if (!consumerRunsDuringDispose)
        {
            Assert.True(counters.RejectedFor(RejectReason.ListenerClosing) >= 1, "some senders were mid-send at dispose and were refused");
        }
    }
}
