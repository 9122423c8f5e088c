using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

// Explicit settlement with inline delivery, on the raw path: publishing runs a waiting consumer on the accept thread,
// which takes the message; its connection then stays on its raw descriptor until the consumer settles it, and the
// settling thread writes the ack (or not) and closes. No task, no Socket and no hang-up watcher for the common case.
// Once a consumer has the message the watcher only tells earlier what the ack tells anyway: a sender that gave up has
// closed its end, so the ack fails (EPIPE), the consumer gets SettlementFailed and the sender's giving up is counted,
// as when the watcher withdrew it (then at the hang-up, here at the settlement; a rejection is the consumer's). A
// message waiting in the buffer (nobody took it at once, or it was requeued) must be withdrawn when its sender gives
// up, before anyone takes it: that one goes on as a Socket on the asynchronous path, watched.
public sealed partial class SocketListener
{
    // The accept thread's part: the message has room in the buffer (reserved); publish it and hold or hand over.
    private void HoldForSettlement(int fd, PendingMessage pending)
    {
        var held = new HeldDescriptor(this, fd, pending);
        pending.OfferInlineSettlement(held);
        _buffer.Publish(pending);
        if (pending.IsTaken)
        {
            held.WatchStopping(_stopping.Token);
        }
        else
        {
            held.HandOver();
        }
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

    /// <summary>A connection kept on its raw descriptor while a consumer holds its message; exactly one party closes or adopts it.</summary>
    private sealed class HeldDescriptor(SocketListener listener, int fd, PendingMessage pending) : IInlineSettlement
    {
        private readonly object _gate = new();
        private int _fd = fd;
        private CancellationTokenRegistration _stopping;

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

        public void Returned() => HandOver();

        // Back in the buffer (or never taken): watched for its sender giving up, on the asynchronous path.
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
                // No Socket for it (the descriptor is the caller's still): it cannot be acked any more.
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
            var registration = stopping.UnsafeRegister(static state => ((HeldDescriptor)state!).Stop(), this);
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

        // The listener stops: a message still held unsettled is withdrawn, unacked, as on the asynchronous path.
        private void Stop()
        {
            int claimed;
            lock (_gate)
            {
                if (_fd < 0 || !pending.TryWithdraw())
                {
                    return; // settled or handed over first: that side closes
                }

                claimed = _fd;
                _fd = -1;
            }

            listener._buffer.Withdrawn(pending);
            Close(claimed, RejectReason.ListenerClosing);
        }

        private bool TryClaim(out int claimed)
        {
            lock (_gate)
            {
                claimed = _fd;
                _fd = -1;
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
