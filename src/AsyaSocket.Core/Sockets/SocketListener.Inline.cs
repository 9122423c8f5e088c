using System.Buffers;
using System.Net.Sockets;
using AsyaSocket.Core.Sockets.Native;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

// The accept thread's path on Linux, on raw descriptors: waiting in accept4(2) (or in poll(2) while it also watches held
// connections; one wakeup per connection, as a C receiver), the frame read with one readv(2) when it is there, buffered,
// acked and closed with the calls a C receiver makes; no Socket, no task. The rest of a large body that is still coming
// is read in one timed recv(2) with MSG_WAITALL (UnixSocketCalls.ReceiveAllWithin). A frame whose ack waits for a
// consumer, or for room in a full buffer, keeps its descriptor until then (SocketListener.Held). Anything else (a slow,
// empty, short or oversized frame, no in-flight budget) goes on as a Socket on the asynchronous path with what was read so far.
public sealed partial class SocketListener
{
    // What a header may buy at once on either path (its body's array, within the in-flight budget); larger bodies
    // grow in chunks on the asynchronous path. A body that takes longer than the inline wait goes on there too.
    private const int InlineBodyLimit = ConnectionReader.DirectLimit;
    private const int ConnectionAborted = 103;
    private const int AcceptPollMillis = AcceptPollMicros / 1000;
    // From this much of a body still to come, its rest is read in one blocking, timed call (three more calls to make
    // and undo it): a sender's socket buffer holds about 200 KiB, so such a rest comes in pieces, each of which costs a
    // non-blocking reader recv, poll and recv (bench/README.md, round 9). A smaller rest usually comes in one piece.
    private const int WaitAllFrom = 64 * 1024;

    private void AcceptLoopNative()
    {
        var token = _stopping.Token;
        var listening = _claim.Socket;
        var referenced = false;
        try
        {
            // The descriptor stays this listener's until the loop ends, even once the socket is disposed. Made
            // blocking with a bounded accept (nothing else uses it as a Socket on this path), the thread waits inside
            // accept4(2) while no held descriptor needs watching, else in poll(2) over them all; both bounded, so a stop
            // is seen even if the shutdown that wakes it came first.
            listening.SafeHandle.DangerousAddRef(ref referenced);
            var listeningFd = (int)listening.SafeHandle.DangerousGetHandle();
            var acceptWaits = UnixSocketCalls.MakeTimedBlocking(listeningFd, TimeSpan.FromMilliseconds(AcceptPollMillis), out _);
            while (!token.IsCancellationRequested)
            {
                // Held connections are watched even while every connection slot is taken.
                while (!_connectionSlots.Wait(_watched.Count == 0 ? Timeout.Infinite : AcceptPollMillis, token))
                {
                    WaitForConnection(listeningFd, timeoutMs: 0);
                }

                var fd = -1;
                while (fd < 0 && !token.IsCancellationRequested)
                {
                    if (!(acceptWaits && _watched.Count == 0) && !WaitForConnection(listeningFd, AcceptPollMillis))
                    {
                        continue;
                    }

                    fd = UnixSocketCalls.Accept(listeningFd, out var errno);
                    if (fd < 0 && errno is not (ConnectionAborted or UnixSocketCalls.EAgain))
                    {
                        break; // stopping (a shut-down socket refuses accept), or fatal to accepting
                    }
                }

                if (fd < 0)
                {
                    _connectionSlots.Release();
                    break;
                }

                Interlocked.Increment(ref _activeConnections);
                ServeInline(fd);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopping.
        }
        finally
        {
            if (referenced)
            {
                listening.SafeHandle.DangerousRelease();
            }
        }
    }

    private void ServeInline(int fd)
    {
        var handedOver = false;
        try
        {
            handedOver = ServeInlineFrame(fd);
        }
        catch (Exception)
        {
            // As on the asynchronous path: a connection's failure is counted where it is understood.
        }
        finally
        {
            if (!handedOver)
            {
                UnixSocketCalls.Close(fd);
                ConnectionDone();
            }
        }
    }

    // True when the connection went on asynchronously (the task owns the descriptor now).
    private bool ServeInlineFrame(int fd)
    {
        var deadline = InlineIo.Deadline(_options.InlineWait);
        Span<byte> header = stackalloc byte[FrameHeader.Size];
        if (!PeekWithin(fd, header, deadline))
        {
            return HandOver(fd, started: null);
        }

        var length = FrameHeader.Read(header);
        if (length > (uint)_options.MaxBodyLength || length > InlineBodyLimit || !_inFlight.TryReserve(length))
        {
            return HandOver(fd, started: null); // refused, chunked or waited for there, with nothing taken yet
        }

        var size = (int)length;
        var pool = size > 0 ? _bodies : null;
        var body = size == 0 ? [] : pool is null ? GC.AllocateUninitializedArray<byte>(size) : pool.Rent(size);
        var filled = -FrameHeader.Size;
        var done = false;
        try
        {
            filled = ReadWithin(fd, header, body.AsSpan(0, size), deadline, out var ended);
            if (filled < size && !ended)
            {
                var connection = Adopt(fd);
                done = true; // the task finishes the body and releases its reservation
                _ = ServeAsync(connection, new PartialFrame(size, body, Math.Max(filled, 0), pool));
                return true;
            }
        }
        catch (SocketException)
        {
            Reject(RejectReason.ConnectionError);
            return false;
        }
        finally
        {
            if (!done)
            {
                _inFlight.Release(length);
                if (filled < size)
                {
                    pool?.Return(body);
                }
            }
        }

        if (filled < size)
        {
            Reject(RejectReason.TruncatedBody);
            return false;
        }

        var message = Received(body, size, pool);
        var pending = new PendingMessage(message, _options.AckPolicy);
        if (!_buffer.TryReserve(pending))
        {
            // Room to wait for, with the connection watched for its sender giving up: on its raw descriptor while the
            // accept thread's watch has room (SocketListener.Held), else on the asynchronous path.
            return TryHoldForRoom(fd, pending) || HandOver(fd, message);
        }

        if (pending.AwaitsConsumer)
        {
            HoldForSettlement(fd, pending); // its ack waits for a consumer's take or settlement
            return true;
        }

        PublishAcked(fd, pending);
        return false;
    }

    // A buffered message (room reserved) is acked at once; with inline delivery before publishing, which runs the
    // consumer on this thread.
    private void PublishAcked(int fd, PendingMessage pending)
    {
        if (_options.InlineDelivery)
        {
            AckInline(fd);
            _buffer.Publish(pending);
        }
        else
        {
            _buffer.Publish(pending);
            AckInline(fd);
        }
    }

    // The header, peeked (nothing is taken, so a hand-over starts from the first byte); false when it is not all there by the deadline.
    private static bool PeekWithin(int fd, Span<byte> header, long deadline)
    {
        while (true)
        {
            var got = UnixSocketCalls.Peek(fd, header, out var errno);
            if (got == header.Length)
            {
                return true;
            }

            if ((got < 0 && errno != UnixSocketCalls.EAgain) || got == 0 || !UnixSocketCalls.WaitUntil(fd, deadline))
            {
                return false; // an error, an empty connection, or a slow sender: the asynchronous path says which
            }
        }
    }

    // Header and body; returns the body bytes read (ended: the peer closed first).
    private static int ReadWithin(int fd, Span<byte> header, Span<byte> body, long deadline, out bool ended)
    {
        ended = false;
        var got = UnixSocketCalls.ReadInto(fd, header, body, out var errno);
        if (got < 0)
        {
            throw UnixSocketCalls.Failure(errno); // the header was there: EAGAIN cannot be
        }

        var filled = (int)got - header.Length;
        while (filled < body.Length)
        {
            var more = body.Length - filled >= WaitAllFrom && InlineIo.Remaining(deadline) is var left && left > TimeSpan.Zero
                ? UnixSocketCalls.ReceiveAllWithin(fd, body[filled..], left, out errno)
                : UnixSocketCalls.Receive(fd, body[filled..], out errno);
            if (more > 0)
            {
                filled += (int)more;
            }
            else if (more == 0)
            {
                ended = true;
                break;
            }
            else if (errno != UnixSocketCalls.EAgain)
            {
                throw UnixSocketCalls.Failure(errno);
            }
            else if (!UnixSocketCalls.WaitUntil(fd, deadline))
            {
                break;
            }
        }

        return filled;
    }

    // Counted before the byte goes out, as AckAsync does; a fresh connection's send buffer always takes one byte.
    private void AckInline(int fd)
    {
        _counters.CountAcked();
        if (UnixSocketCalls.Send(fd, [FrameHeader.Ack], out _) != 1)
        {
            _counters.CountAckFailed();
        }
    }

    private bool HandOver(int fd, PartialFrame? started)
    {
        _ = ServeAsync(Adopt(fd), started);
        return true;
    }

    private bool HandOver(int fd, AsyaReceivedMessage message)
    {
        _ = ServeHeldAsync(Adopt(fd), message);
        return true;
    }

    // The descriptor as a Socket, which then owns it; when that fails the caller still does (and closes it).
    private static Socket Adopt(int fd)
    {
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            return new Socket(handle);
        }
        catch
        {
            handle.SetHandleAsInvalid();
            throw;
        }
    }

    // A message read inline whose ack must wait: the asynchronous path's second half.
    private Task ServeHeldAsync(Socket connection, AsyaReceivedMessage message) =>
        ServeAdoptedAsync(connection, c => HoldAndAckAsync(c, message, _stopping.Token));

    // A message in the buffer or held, whose connection was on its raw descriptor until now: watched while it waits.
    private Task WatchSettlementAsync(Socket connection, PendingMessage pending) =>
        ServeAdoptedAsync(connection, c => AwaitSettlementAsync(c, pending, added: true, _stopping.Token));

    private async Task ServeAdoptedAsync(Socket connection, Func<Socket, Task> serve)
    {
        try
        {
            using (connection)
            {
                connection.Blocking = false;
                await serve(connection).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // As in ServeAsync.
        }
        finally
        {
            ConnectionDone();
        }
    }

    /// <summary>A body the accept thread began to read: its length, its array, the bytes in it, and the pool it is from, if any.</summary>
    private sealed record PartialFrame(int Length, byte[] Body, int Filled, ArrayPool<byte>? Pool);
}
