using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets.Native;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// The receiving half of the Asya socket protocol, for one actor name. Unlike the sidecar it serves
/// connections concurrently (one silent peer delays nobody), bounds every read, and acks only once the
/// message is held: in the buffer, taken by a consumer, or settled by it (<see cref="AckPolicy"/>). A full
/// buffer stops the acks, which holds the senders back; an acked message is never dropped. A rejected
/// message's connection closes without the ack, so its sender sees the send fail.
/// </summary>
public sealed partial class SocketListener : IAsyaReceiver
{
    private const int Backlog = 512;
    private const int AcceptPollMicros = 50_000;
    private static readonly ReadOnlyMemory<byte> AckByte = new byte[] { FrameHeader.Ack };

    private readonly SocketListenerOptions _options;
    private readonly SocketFileClaim _claim;
    private readonly MessageBuffer _buffer;
    private readonly ListenerCounterSet _counters = new();
    private readonly ByteBudget _inFlight;
    private readonly SemaphoreSlim _connectionSlots;

    // PooledBodies: the listener's own pool. The shared pool keeps a few dozen arrays of a size per CPU, and a consumer
    // that falls behind has more out than that (64 KiB bodies, pinned: 22 KB allocated a message, 239 B with room).
    private readonly ArrayPool<byte>? _bodies;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _connectionsDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private readonly Timer _socketCheck;

    // What a message held under Explicit names as its listener: a token, so the message does not keep the listener.
    private readonly object _heldKey = new();
    private int _activeConnections;
    private int _shutdownStarted;
    private Task? _shutdown;
    private AsyaTransportException? _fault;

    private SocketListener(string actor, SocketFileClaim claim, SocketListenerOptions options)
    {
        Actor = actor;
        _claim = claim;
        _options = options;
        _buffer = new MessageBuffer(options.BufferCapacity, options.MaxBufferedBytes, options.RequeueCapacity, options.InlineDelivery);
        _inFlight = new ByteBudget(options.MaxInFlightBytes);
        _connectionSlots = new SemaphoreSlim(options.MaxConcurrentConnections, options.MaxConcurrentConnections);
        _bodies = options.PooledBodies ? ArrayPool<byte>.Create(ConnectionReader.DirectLimit, MostBodiesOut(options)) : null;
        _acceptLoop = StartAcceptThread();
        _socketCheck = new Timer(_ => CheckSocketFile(), null, options.SocketCheckInterval, options.SocketCheckInterval);
    }

    /// <inheritdoc />
    public string Actor { get; }

    /// <inheritdoc />
    public string Address => _claim.Path;

    /// <summary>The options in force.</summary>
    public SocketListenerOptions Options => _options;

    /// <inheritdoc />
    public ReceiverCounters Counters => _counters.Snapshot(_buffer.Count, _buffer.Bytes, _inFlight.Reserved);

    /// <summary>
    /// Raised for every connection closed without an ack, with the reason and, for a frame over the cap, the length
    /// its header announced. Raised on a listener thread: a handler must return quickly; what it throws is ignored.
    /// </summary>
    public event EventHandler<ListenerRejection>? Rejected;

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <summary>
    /// Listens as <paramref name="actor"/> in <paramref name="mesh"/>. A stale socket file is replaced; a live
    /// one is an error unless <see cref="SocketListenerOptions.Force"/>; anything that is not a socket is never touched.
    /// </summary>
    public static SocketListener Start(MeshDirectory mesh, string actor, SocketListenerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(actor);
        options ??= new SocketListenerOptions();
        options.Validate();
        mesh.EnsureExists();
        var socketPath = mesh.SocketPathFor(actor);
        var claim = SocketFileClaim.Bind(socketPath, options.Force, options.SocketMode, Backlog);
        return new SocketListener(actor, claim, options);
    }

    /// <inheritdoc />
    public async ValueTask<AsyaReceivedMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var pending = await _buffer.TakeAsync(cancellationToken).ConfigureAwait(false);
        return pending is null ? throw (_fault ?? Closed()) : Emit(pending);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AsyaReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _buffer.TakeAsync(cancellationToken).ConfigureAwait(false) is { } pending)
        {
            yield return Emit(pending);
        }

        if (_fault is not null)
        {
            throw _fault;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<AsyaReceivedMessage> DrainBuffered() => _buffer.TakeAvailable().ConvertAll(Emit);

    /// <summary>
    /// The sidecar's requeue: puts a message back so the next receive returns it first; waits while
    /// <see cref="ListenOptions.RequeueCapacity"/> requeued messages are pending. A message this listener holds
    /// unsettled (<see cref="AckPolicy.Explicit"/>) goes back still unacknowledged, without waiting.
    /// </summary>
    public ValueTask RequeueAsync(AsyaReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return HeldHere(message) is { IsFinal: false } pending
            ? ReturnHeld(pending)
            : _buffer.RequeueAsync(new PendingMessage(message, AckPolicy.WhenBuffered), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(AsyaReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_options.AckPolicy != AckPolicy.Explicit)
        {
            // Acked already, when it was buffered or taken.
            return;
        }

        var pending = HeldFor(message);
        if (!pending.TrySettle(acknowledge: true))
        {
            throw NotHeld(pending);
        }

        if (!await pending.AckWritten.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw AckNotDelivered();
        }
    }

    /// <inheritdoc />
    public ValueTask RejectAsync(AsyaReceivedMessage message, bool requeue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_options.AckPolicy != AckPolicy.Explicit)
        {
            // Acked already: requeueing is the sidecar's requeue, dropping is the consumer's own business.
            return requeue ? _buffer.RequeueAsync(new PendingMessage(message, AckPolicy.WhenBuffered), cancellationToken) : ValueTask.CompletedTask;
        }

        var pending = HeldFor(message);
        if (requeue)
        {
            return ReturnHeld(pending);
        }

        return pending.TrySettle(acknowledge: false) ? ValueTask.CompletedTask : ValueTask.FromException(NotHeld(pending));
    }

    /// <summary>Stops accepting, lets connections in flight finish or withdraw, and removes the socket file if it is still ours. Buffered messages stay readable.</summary>
    public ValueTask DisposeAsync() => new(StopAsync(fault: null));

    /// <inheritdoc />
    public void Dispose()
    {
        if (MessageBuffer.DeliveringInline)
        {
            // The consumer runs on a thread the listener waits for: waiting here would wait for itself.
            throw new InvalidOperationException(
                $"A consumer running inline on the listener for '{Actor}' (InlineDelivery) called Dispose(), which would wait for itself. Use 'await DisposeAsync()', or turn InlineDelivery off.");
        }

        StopAsync(fault: null).GetAwaiter().GetResult();
    }

    private Task StopAsync(AsyaTransportException? fault)
    {
        if (Interlocked.Exchange(ref _shutdownStarted, 1) == 0)
        {
            _fault = fault;
            _shutdown = ShutdownAsync(removeSocketFile: fault is null);
        }

        return _shutdown!;
    }

    private async Task ShutdownAsync(bool removeSocketFile)
    {
        await _socketCheck.DisposeAsync().ConfigureAwait(false);
        _stopping.Cancel();
        WakeAcceptThread();

        // Disposed once the accept thread is done with it: the raw loop holds a reference to the descriptor, and a
        // socket disposed while referenced waits for it, which from a consumer running on that thread (inline
        // delivery) would wait for itself.
        await _acceptLoop.ConfigureAwait(false);
        _claim.Socket.Dispose();
        if (Interlocked.CompareExchange(ref _activeConnections, 0, 0) == 0)
        {
            _connectionsDone.TrySetResult();
        }

        await _connectionsDone.Task.ConfigureAwait(false);
        _buffer.Complete();
        if (removeSocketFile)
        {
            _claim.Release();
        }

        if (_fault is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(_fault);
        }
    }

    // shutdown(2) makes the accept thread's poll return at once (closing alone would not wake it) and accept fail.
    private void WakeAcceptThread()
    {
        try
        {
            _claim.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Not every system shuts a listening socket down; the poll's bound still ends the loop.
        }
    }

    private void CheckSocketFile()
    {
        if (Volatile.Read(ref _shutdownStarted) == 0 && !_claim.IsStillOurs)
        {
            _ = StopAsync(SocketErrors.Create(
                AsyaErrorKind.ReceiverReplaced,
                $"The socket file '{Address}' was removed or replaced by another listener; this listener stopped accepting.",
                "Another process listens as the same actor (a real sidecar, or a second listener). Stop it, or listen under another name.",
                Address));
        }
    }

    // Accepting on a thread of its own, blocked in poll(2): a connection wakes one thread, as in a C receiver,
    // instead of the socket engine's thread and then a pool thread. A connection is served on this thread until
    // it has to wait (InlineWait at most), then asynchronously, so a slow peer never holds up the next accept.
    private Task StartAcceptThread()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                if (UnixSocketCalls.Supported)
                {
                    AcceptLoopNative();
                }
                else
                {
                    AcceptLoop();
                }
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "asya accept " + Actor,
        };
        thread.Start();
        return done.Task;
    }

    private void AcceptLoop()
    {
        var token = _stopping.Token;
        var listening = _claim.Socket;
        while (!token.IsCancellationRequested)
        {
            Socket? connection = null;
            var slotTaken = false;
            try
            {
                _connectionSlots.Wait(token);
                slotTaken = true;
                while (connection is null && !token.IsCancellationRequested)
                {
                    // Bounded, so a stop is noticed promptly even when closing the socket does not wake the poll.
                    if (listening.Poll(AcceptPollMicros, SelectMode.SelectRead))
                    {
                        connection = TryAccept(listening);
                    }
                }
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopping closes the listening socket; anything else here is fatal to accepting too.
            }

            if (connection is null)
            {
                if (slotTaken)
                {
                    _connectionSlots.Release();
                }

                break;
            }

            Interlocked.Increment(ref _activeConnections);
            _ = ServeAsync(connection);
        }
    }

    // Non-blocking: the connection that made the socket readable may be gone again.
    private static Socket? TryAccept(Socket listening)
    {
        try
        {
            return listening.Accept();
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionAborted or SocketError.Interrupted)
        {
            return null;
        }
    }

    private async Task ServeAsync(Socket connection, PartialFrame? started = null)
    {
        try
        {
            using (connection)
            {
                await ServeFrameAsync(connection, started).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // A connection's failure is counted where it is understood; nothing may escape a background task.
        }
        finally
        {
            ConnectionDone();
        }
    }

    private void ConnectionDone()
    {
        _connectionSlots.Release();
        if (Interlocked.Decrement(ref _activeConnections) == 0 && Volatile.Read(ref _shutdownStarted) == 1)
        {
            _connectionsDone.TrySetResult();
        }
    }

    private async Task ServeFrameAsync(Socket connection, PartialFrame? started)
    {
        var stopping = _stopping.Token;
        connection.Blocking = false; // for the inline calls (InlineIo); the async ones do not mind
        AsyaReceivedMessage? message;
        using (var reader = new ConnectionReader(connection, _options.ReadTimeout, _options.InlineWait, stopping))
        {
            message = started is null
                ? await ReadMessageAsync(reader, stopping).ConfigureAwait(false)
                : await FinishMessageAsync(reader, started, stopping).ConfigureAwait(false);
        }

        if (message is not null)
        {
            await HoldAndAckAsync(connection, message, stopping).ConfigureAwait(false);
        }
    }

    // The message is read: buffer it and ack, or wait for room, a consumer or its settlement first.
    private async Task HoldAndAckAsync(Socket connection, AsyaReceivedMessage message, CancellationToken stopping)
    {
        var pending = new PendingMessage(message, _options.AckPolicy);
        if (_options.AckPolicy == AckPolicy.Explicit)
        {
            pending.OfferInlineSettlement(new SocketSettlement(this, connection));
        }

        var added = _buffer.TryReserve(pending);
        if (added && !pending.AwaitsConsumer)
        {
            // The common case: room in the buffer, ack at once. Inline delivery acks before publishing, because
            // publishing then runs the consumer on this thread, and an ack must not wait for a consumer.
            if (_options.InlineDelivery)
            {
                await AckAsync(connection).ConfigureAwait(false);
                _buffer.Publish(pending);
            }
            else
            {
                _buffer.Publish(pending);
                await AckAsync(connection).ConfigureAwait(false);
            }

            return;
        }

        if (added)
        {
            _buffer.Publish(pending);
        }

        await AwaitSettlementAsync(connection, pending, added, stopping).ConfigureAwait(false);
    }

    // Waiting for room, for a consumer or for its settlement: a sender that gives up meanwhile (its ack
    // timeout) must get its message withdrawn, or it would be delivered although the sender saw an error
    // and may resend it.
    private async Task AwaitSettlementAsync(Socket connection, PendingMessage pending, bool added, CancellationToken stopping)
    {
        bool acknowledge;
        using var peerGone = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var hangup = WatchForHangupAsync(connection, peerGone);
        try
        {
            if (!added)
            {
                await _buffer.AddAsync(pending, peerGone.Token).ConfigureAwait(false);
            }

            acknowledge = await pending.Outcome.WaitAsync(peerGone.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            // Not in the buffer yet, in it but never taken, or held unsettled: withdrawn, unacked. Settled just now: as settled.
            if (pending.TryWithdraw())
            {
                _buffer.Withdrawn(pending);
                Reject(stopping.IsCancellationRequested ? RejectReason.ListenerClosing : RejectReason.SenderGaveUp);
                return;
            }

            acknowledge = await pending.Outcome.ConfigureAwait(false);
        }
        finally
        {
            peerGone.Cancel();
            await hangup.ConfigureAwait(false);
        }

        if (!acknowledge)
        {
            // Rejected by its consumer: closing without the ack tells the sender it was not delivered.
            Reject(RejectReason.ConsumerRejected);
            return;
        }

        if (!pending.AckHandled)
        {
            pending.ReportAck(await AckAsync(connection).ConfigureAwait(false));
        }
    }

    // A sender writes nothing after its frame, so a read that returns is the sender closing (or resetting).
    private static async Task WatchForHangupAsync(Socket connection, CancellationTokenSource peerGone)
    {
        var probe = ArrayPool<byte>.Shared.Rent(1);
        try
        {
            await connection.ReceiveAsync(probe.AsMemory(0, 1), SocketFlags.None, peerGone.Token).ConfigureAwait(false);
            peerGone.Cancel();
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cancelled because the wait ended, or the connection broke: either way nothing more to watch.
            if (error is not OperationCanceledException)
            {
                peerGone.Cancel();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(probe);
        }
    }

    private async Task<AsyaReceivedMessage?> ReadMessageAsync(ConnectionReader reader, CancellationToken stopping)
    {
        var header = ArrayPool<byte>.Shared.Rent(FrameHeader.Size);
        try
        {
            var got = await reader.ReadAsync(header.AsMemory(0, FrameHeader.Size)).ConfigureAwait(false);
            if (got < FrameHeader.Size)
            {
                Reject(got == 0 ? RejectReason.EmptyConnection : RejectReason.TruncatedHeader);
                return null;
            }

            var length = FrameHeader.Read(header);
            if (length > (uint)_options.MaxBodyLength)
            {
                _counters.CountFrameTooLarge(length);
                Reject(RejectReason.FrameTooLarge, length);
                return null;
            }

            var pool = length is > 0 and <= ConnectionReader.DirectLimit ? _bodies : null;
            var body = await reader.ReadBodyAsync((int)length, _inFlight, pool).ConfigureAwait(false);
            if (body is null)
            {
                Reject(RejectReason.TruncatedBody);
                return null;
            }

            return Received(body, (int)length, pool);
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
            RejectFailedRead(error, stopping);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    // The rest of a body the accept thread began to read inline; its in-flight bytes were reserved there.
    private async Task<AsyaReceivedMessage?> FinishMessageAsync(ConnectionReader reader, PartialFrame started, CancellationToken stopping)
    {
        var complete = false;
        try
        {
            var rest = started.Length - started.Filled;
            complete = await reader.ReadAsync(started.Body.AsMemory(started.Filled, rest)).ConfigureAwait(false) == rest;
            if (!complete)
            {
                Reject(RejectReason.TruncatedBody);
                return null;
            }

            return Received(started.Body, started.Length, started.Pool);
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
            RejectFailedRead(error, stopping);
            return null;
        }
        finally
        {
            _inFlight.Release(started.Length);
            if (!complete)
            {
                started.Pool?.Return(started.Body);
            }
        }
    }

    // Room for the bodies a listener has out at once while its consumer gives each back (a full buffer, a body being read
    // on every connection slot), but never more than its byte budgets: every power-of-two size up to 1 MiB together is
    // under 2 MiB an array, so whatever sizes peers send, the pool keeps at most what the listener may hold anyway.
    private static int MostBodiesOut(SocketListenerOptions options) => (int)Math.Max(1, Math.Min(
        options.BufferCapacity + (long)options.MaxConcurrentConnections,
        (options.MaxBufferedBytes + options.MaxInFlightBytes) / (2L * ConnectionReader.DirectLimit)));

    private AsyaReceivedMessage Received(byte[] body, int length, ArrayPool<byte>? pool)
    {
        _counters.CountReceived();
        return new AsyaReceivedMessage(Actor, body, length, pool, DateTimeOffset.UtcNow, TransportIds.Next());
    }

    private void RejectFailedRead(Exception error, CancellationToken stopping) => Reject(error is SocketException
        ? RejectReason.ConnectionError
        : stopping.IsCancellationRequested ? RejectReason.ListenerClosing : RejectReason.ReadTimeout);

    private void Reject(RejectReason reason, long? announcedLength = null)
    {
        _counters.CountRejected(reason);
        if (Rejected is { } handlers)
        {
            try
            {
                handlers(this, new ListenerRejection(reason, announcedLength, DateTimeOffset.UtcNow));
            }
            catch (Exception)
            {
                // A subscriber's failure must not break the connection handling it observes.
            }
        }
    }

    private async Task<bool> AckAsync(Socket connection)
    {
        // The message is held; the ack must not be cancelled by stopping, only bounded in time. Counted before the
        // byte goes out: written inline, the ack can reach its sender before this thread runs another line, and a
        // sender that saw its ack must find it counted. A write that fails takes the count back.
        _counters.CountAcked();
        try
        {
            await ConnectionReader.SendAckAsync(connection, AckByte, _options.ReadTimeout).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is OperationCanceledException or SocketException)
        {
            _counters.CountAckFailed();
            return false;
        }
    }

    private sealed class SocketSettlement(SocketListener listener, Socket connection) : IInlineSettlement
    {
        public bool? Settle(bool acknowledge) => acknowledge ? listener.TryAckInline(connection) : null;
    }

    // On the consumer's thread, as it settles: one byte, which a fresh connection's send buffer always takes at once;
    // null (it would wait) leaves the write to the connection, which counts it again.
    private bool? TryAckInline(Socket connection)
    {
        _counters.CountAcked();
        try
        {
            if (InlineIo.Send(connection, AckByte.Span, deadline: 0) == AckByte.Length)
            {
                return true;
            }
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
            _counters.CountAckFailed();
            return false;
        }

        _counters.UncountAck();
        return null;
    }

    // What a consumer gets: under Explicit the message carries the connection state behind it, so a consumer that
    // drops a message unsettled leaks nothing (its sender's timeout withdraws it).
    private AsyaReceivedMessage Emit(PendingMessage pending)
    {
        if (pending.AwaitsConsumer && _options.AckPolicy == AckPolicy.Explicit)
        {
            pending.HeldBy = _heldKey;
            pending.Message.Custody = pending;
        }

        return pending.Message;
    }

    private PendingMessage? HeldHere(AsyaReceivedMessage message) =>
        message.Custody is PendingMessage pending && ReferenceEquals(pending.HeldBy, _heldKey) ? pending : null;

    private PendingMessage HeldFor(AsyaReceivedMessage message) =>
        HeldHere(message)
            ?? throw new InvalidOperationException($"The message was not received from the listener for '{Actor}', so it cannot settle it here.");

    private ValueTask ReturnHeld(PendingMessage pending)
    {
        if (!pending.TryReturn())
        {
            return ValueTask.FromException(NotHeld(pending));
        }

        _buffer.Return(pending);
        return ValueTask.CompletedTask;
    }

    // Settled twice is the consumer's mistake; withdrawn first (its sender gave up, or the listener stopped) is not.
    private Exception NotHeld(PendingMessage pending) => pending.IsWithdrawn
        ? AckNotDelivered()
        : new InvalidOperationException($"The message for '{Actor}' was settled already; a message is acknowledged or rejected once.");

    private AsyaTransportException AckNotDelivered() => SocketErrors.Create(
        AsyaErrorKind.SettlementFailed,
        $"The sender of a message to '{Address}' gave up, or the listener stopped, before the message was acknowledged; the sender saw its send fail.",
        "The sender may send it again: handle it at least once. Settle messages within the senders' ack timeout.",
        Address);

    private AsyaTransportException Closed() => SocketErrors.Create(
        AsyaErrorKind.ReceiverClosed,
        $"The listener for '{Actor}' at '{Address}' is closed and has no more messages.",
        "Start a new listener to receive more.",
        Address);
}
