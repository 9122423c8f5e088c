using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>Why a socket listener closed a connection without acking it (the keys of <see cref="ReceiverCounters.Rejected"/>).</summary>
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
    /// <summary>The listener stopped before the message could be buffered, taken or settled.</summary>
    ListenerClosing,
    /// <summary>The connection failed while reading.</summary>
    ConnectionError,
    /// <summary>The sender closed while its message waited for room, for a consumer or for its settlement (its ack timeout fired).</summary>
    SenderGaveUp,
    /// <summary>The consumer rejected the message without requeue (<see cref="IAsyaReceiver.RejectAsync"/>).</summary>
    ConsumerRejected,
}

/// <summary>Reads a socket listener's rejections by their typed reason.</summary>
public static class SocketReceiverCounters
{
    /// <summary>Connections closed without an ack for <paramref name="reason"/>.</summary>
    public static long RejectedFor(this ReceiverCounters counters, RejectReason reason)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return counters.RejectedFor(reason.ToString());
    }
}
