using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>A listener's live counters, updated from many connections at once.</summary>
internal sealed class ListenerCounterSet
{
    private readonly long[] _rejected = new long[Enum.GetValues<RejectReason>().Length];
    private long _received;
    private long _acked;
    private long _ackFailed;
    private long _lastFrameTooLarge = -1;

    public void CountReceived() => Interlocked.Increment(ref _received);

    public void CountAcked() => Interlocked.Increment(ref _acked);

    /// <summary>An ack counted before its write, whose write was left to another thread (which counts it again).</summary>
    public void UncountAck() => Interlocked.Decrement(ref _acked);

    /// <summary>An ack counted before its write, whose write then failed: it moves from acked to failed.</summary>
    public void CountAckFailed()
    {
        Interlocked.Decrement(ref _acked);
        Interlocked.Increment(ref _ackFailed);
    }

    public void CountFrameTooLarge(long announcedLength) => Interlocked.Exchange(ref _lastFrameTooLarge, announcedLength);

    public void CountRejected(RejectReason reason) => Interlocked.Increment(ref _rejected[(int)reason]);

    public ReceiverCounters Snapshot(int buffered, long bufferedBytes, long inFlightBytes)
    {
        var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            var count = Interlocked.Read(ref _rejected[(int)reason]);
            if (count > 0)
            {
                rejected[reason.ToString()] = count;
            }
        }

        var lastTooLarge = Interlocked.Read(ref _lastFrameTooLarge);
        return new ReceiverCounters(Interlocked.Read(ref _received), Interlocked.Read(ref _acked), Interlocked.Read(ref _ackFailed), buffered, rejected)
        {
            BufferedBytes = bufferedBytes,
            InFlightBytes = inFlightBytes,
            LastTooLargeLength = lastTooLarge < 0 ? null : lastTooLarge,
        };
    }
}
