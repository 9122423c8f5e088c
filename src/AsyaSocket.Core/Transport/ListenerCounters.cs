namespace AsyaSocket.Core.Transport;

/// <summary>Why a listener closed a connection without acking it.</summary>
public enum RejectReason
{
    /// <summary>The peer connected and closed without sending anything (a connect probe).</summary>
    EmptyConnection,
    /// <summary>The peer closed inside the 4-byte header.</summary>
    TruncatedHeader,
    /// <summary>The peer closed before the whole body arrived.</summary>
    TruncatedBody,
    /// <summary>The header announced a body over the cap.</summary>
    FrameTooLarge,
    /// <summary>The peer went silent for longer than the read timeout.</summary>
    ReadTimeout,
    /// <summary>The listener stopped before the message could be buffered or taken.</summary>
    ListenerClosing,
    /// <summary>The connection failed while reading.</summary>
    ConnectionError,
    /// <summary>The sender closed while its message waited for room or for a consumer (its ack timeout fired).</summary>
    SenderGaveUp,
}

/// <summary>A snapshot of a listener's counters.</summary>
/// <param name="Received">Frames read whole.</param>
/// <param name="Acked">Frames acknowledged.</param>
/// <param name="AckFailed">Acknowledged messages whose ack could not be written (the message was kept; the sender saw an error).</param>
/// <param name="Buffered">Messages held and not yet taken.</param>
/// <param name="Rejected">Connections closed without an ack, by reason.</param>
public sealed record ListenerCounters(long Received, long Acked, long AckFailed, int Buffered, IReadOnlyDictionary<RejectReason, long> Rejected)
{
    /// <summary>All rejected connections.</summary>
    public long RejectedTotal => Rejected.Values.Sum();

    /// <summary>Rejections for one reason.</summary>
    public long RejectedFor(RejectReason reason) => Rejected.TryGetValue(reason, out var count) ? count : 0;
}
