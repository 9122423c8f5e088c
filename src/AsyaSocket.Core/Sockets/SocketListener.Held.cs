using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

// A message whose ack waits for a consumer (WhenTaken: its take; Explicit: its settlement), on the raw path: the accept
// thread publishes the message (with inline delivery a waiting consumer takes it right there) and keeps the connection
// on its raw descriptor until then: the thread that takes or settles it writes the ack (or not) and closes. No task
// and no Socket per message. A message that finds the buffer full is held the same way while a task waits for room
// (then it goes on as if it had found room at once), so backpressure costs no Socket and no exception a message.
// The hang-up watcher the
// asynchronous path runs per connection is the accept thread's own poll(2) here: it waits on the listening socket
// and on every held descriptor at once, and a held connection that turns readable is its sender giving up (a sender
// writes nothing after its frame), so its message is withdrawn, as on the asynchronous path, whether it waits for
// room or in the buffer, is held by a consumer, or was given back (a requeue).
public sealed partial class SocketListener
{
    // Past this many held descriptors the accept thread's poll would grow with the backlog: the rest are watched
    // on the asynchronous path, as without inline delivery.
    private const int MaxWatchedDescriptors = 64;

    // The accept thread's own: the held descriptors it polls, until each is closed.
    private readonly List<HeldDescriptor> _watched = [];

    // The accept thread's part: the message has room in the buffer (reserved); publish it and hold its connection.
    private void HoldForSettlement(int fd, PendingMessage pending)
    {
        var held = new HeldDescriptor(this, fd, pending);
        pending.OfferInlineSettlement(held);
        _buffer.Publish(pending);
        if (_watched.Count >= MaxWatchedDescriptors)
        {
            held.HandOver();
            return;
        }

        held.WatchStopping(_stopping.Token);
        _watched.Add(held);
    }

    // The accept thread's part: no room in the buffer now (or others wait for it first); false when the watch is full,
    // and the caller hands the connection to the asynchronous path instead.
    private bool TryHoldForRoom(int fd, PendingMessage pending)
    {
        if (_watched.Count >= MaxWatchedDescriptors)
        {
            return false;
        }

        var held = new HeldDescriptor(this, fd, pending);
        if (pending.AwaitsConsumer)
        {
            pending.OfferInlineSettlement(held);
        }

        _ = held.WaitForRoomAsync();
        held.WatchStopping(_stopping.Token);
        _watched.Add(held);
        return true;
    }

    // The accept thread waits here for a connection: up to timeoutMs, on the listening descriptor and every held one;
    // true when a connection waits. Held ones that hung up are withdrawn; settled ones leave the set.
    private bool WaitForConnection(int listeningFd, int timeoutMs)
    {
        _watched.RemoveAll(held => held.IsClosed);
        if (_watched.Count == 0)
        {
            return UnixSocketCalls.Wait(listeningFd, timeoutMs);
        }

        var count = _watched.Count + 1;
        Span<int> fds = stackalloc int[count];
        Span<bool> ready = stackalloc bool[count];
        fds[0] = listeningFd;
        for (var i = 1; i < count; i++)
        {
            fds[i] = _watched[i - 1].Descriptor; // -1 when settled meanwhile: poll(2) ignores it
        }

        if (UnixSocketCalls.WaitAny(fds, ready, timeoutMs) == 0)
        {
            return false;
        }

        for (var i = 1; i < count; i++)
        {
            if (ready[i])
            {
                _watched[i - 1].HungUp();
            }
        }

        return ready[0];
    }

    // A fresh connection's send buffer always takes one byte, so a write that fails is a sender gone.
    private bool AckHeld(int fd)
    {
        _counters.CountAcked();
        if (UnixSocketCalls.Send(fd, [FrameHeader.Ack], out _) == 1)
        {
            return true;
        }

        _counters.UncountAck();
        Reject(RejectReason.SenderGaveUp);
        return false;
    }

    /// <summary>
    /// A connection kept on its raw descriptor while its message is buffered, held or requeued (it stays in the accept
    /// thread's poll throughout); exactly one party closes or adopts it.
    /// </summary>
    private sealed class HeldDescriptor(SocketListener listener, int fd, PendingMessage pending) : IInlineSettlement
    {
        private readonly object _gate = new();
        private int _fd = fd;
        private CancellationTokenRegistration _stopping;

        // Cancelled when it is withdrawn while it waits for room; not disposed, as a withdrawal may cancel it at any time.
        private CancellationTokenSource? _roomWait;

        /// <summary>The descriptor, or -1 once it was closed or handed over.</summary>
        public int Descriptor => Volatile.Read(ref _fd);

        public bool IsClosed => Descriptor < 0;

        public bool? Settle(bool acknowledge)
        {
            if (!TryClaim(out var claimed))
            {
                return null; // handed over: the connection's task writes the ack, or closes without it
            }

            bool? written = acknowledge ? listener.AckHeld(claimed) : null;
            Close(claimed, acknowledge ? null : RejectReason.ConsumerRejected);
            return written;
        }

        // The sender closed (or wrote after its frame): withdrawn unless settled first, as the watcher would.
        public void HungUp() => Withdraw(RejectReason.SenderGaveUp);

        // Started on the accept thread before the descriptor is watched, so a withdrawal always finds the wait to cancel.
        public async Task WaitForRoomAsync()
        {
            _roomWait = new CancellationTokenSource();
            try
            {
                await listener._buffer.ReserveAsync(pending, _roomWait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // withdrawn (its sender gave up, or the listener stops), closed and counted there
            }

            if (pending.IsWithdrawn)
            {
                listener._buffer.Withdrawn(pending); // withdrawn as the room came: it goes back
                return;
            }

            if (pending.AwaitsConsumer)
            {
                listener._buffer.Publish(pending); // held on, watched, until it is taken or settled
                return;
            }

            // Buffered: acked now, as if it had found room at once; withdrawn first, its room went back there.
            if (TryClaim(out var claimed))
            {
                listener.PublishAcked(claimed, pending);
                Close(claimed, null); // after publishing: the listener completes its buffer only once every connection is done
            }
        }

        // Watched on the asynchronous path instead.
        public void HandOver()
        {
            if (!TryClaim(out var claimed))
            {
                return;
            }

            try
            {
                _ = listener.WatchSettlementAsync(Adopt(claimed), pending);
            }
            catch (Exception)
            {
                // No Socket for it (the descriptor is still ours): it cannot be acked any more.
                if (!pending.TryWithdraw())
                {
                    pending.ReportAck(false);
                }

                listener._buffer.Withdrawn(pending);
                Close(claimed, RejectReason.ConnectionError);
            }
        }

        public void WatchStopping(CancellationToken stopping)
        {
            var registration = stopping.UnsafeRegister(static state => ((HeldDescriptor)state!).Withdraw(RejectReason.ListenerClosing), this);
            lock (_gate)
            {
                if (_fd >= 0)
                {
                    _stopping = registration;
                    return;
                }
            }

            registration.Unregister(); // settled already
        }

        private void Withdraw(RejectReason reason)
        {
            int claimed;
            lock (_gate)
            {
                if (_fd < 0 || !pending.TryWithdraw())
                {
                    return; // settled or handed over first: that side closes
                }

                claimed = _fd;
                Volatile.Write(ref _fd, -1);
            }

            listener._buffer.Withdrawn(pending);
            Close(claimed, reason);
            _roomWait?.Cancel();
        }

        private bool TryClaim(out int claimed)
        {
            lock (_gate)
            {
                claimed = _fd;
                Volatile.Write(ref _fd, -1);
            }

            return claimed >= 0;
        }

        private void Close(int claimed, RejectReason? reason)
        {
            UnixSocketCalls.Close(claimed);
            _stopping.Unregister();
            if (reason is { } why)
            {
                listener.Reject(why);
            }

            listener.ConnectionDone();
        }
    }
}
