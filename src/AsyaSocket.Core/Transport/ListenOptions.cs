namespace AsyaSocket.Core.Transport;

/// <summary>
/// How a receiver buffers and acknowledges; the same for every transport. A transport's own settings
/// (the socket listener's file mode and timeouts, a broker's queue arguments) derive from this record.
/// </summary>
public record ListenOptions
{
    /// <summary>Messages held before acks stop and senders wait (backpressure; a broker's prefetch).</summary>
    public int BufferCapacity { get; init; } = 64;

    /// <summary>Messages put back with a requeue that are held before requeueing waits (sidecar: 4).</summary>
    public int RequeueCapacity { get; init; } = 4;

    /// <summary>When a message is acknowledged to its sender.</summary>
    public AckPolicy AckPolicy { get; init; } = AckPolicy.WhenBuffered;

    /// <summary>Largest body accepted; a larger one is refused before anything is allocated.</summary>
    public int MaxBodyLength { get; init; } = SendOptions.DefaultMaxBodyLength;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public virtual void Validate()
    {
        OptionChecks.Positive(BufferCapacity, nameof(BufferCapacity));
        OptionChecks.Positive(RequeueCapacity, nameof(RequeueCapacity));
        OptionChecks.NonNegative(MaxBodyLength, nameof(MaxBodyLength));
    }
}
