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

    /// <summary>
    /// Complete a waiting receive on the transport's own thread instead of handing it to the thread pool: one thread
    /// hand-over less per message (on two cores, about half a socket receiver's cost; bench/README.md). Safe for a
    /// consumer that waits synchronously (a PowerShell pipeline thread blocked in a receive): the transport's thread
    /// then only wakes it. An <c>await</c>ing consumer's code runs on the transport's thread until its next await, so
    /// the next message waits for it, and it must never block on the receiver (use <c>DisposeAsync</c>, not
    /// <c>Dispose</c>). Acks never wait for the consumer. A transport without such a thread ignores it.
    /// </summary>
    public bool InlineDelivery { get; init; }

    /// <summary>Largest body accepted; a larger one is refused before anything is allocated.</summary>
    public int MaxBodyLength { get; init; } = SendOptions.DefaultMaxBodyLength;

    /// <summary>
    /// <paramref name="own"/>, a transport's own options, with the neutral settings <paramref name="requested"/> asks
    /// for: how a transport takes what a caller of <see cref="IAsyaTransport.Listen"/> passed. A request of the
    /// transport's own type is used whole; no request keeps <paramref name="own"/>.
    /// </summary>
    public static TOptions Overlay<TOptions>(TOptions own, ListenOptions? requested)
        where TOptions : ListenOptions
    {
        ArgumentNullException.ThrowIfNull(own);
        return requested switch
        {
            null => own,
            TOptions whole => whole,

            // The copy keeps own's type (a record's clone is virtual), so the cast back cannot fail.
            _ => (TOptions)((ListenOptions)own with
            {
                BufferCapacity = requested.BufferCapacity,
                RequeueCapacity = requested.RequeueCapacity,
                AckPolicy = requested.AckPolicy,
                MaxBodyLength = requested.MaxBodyLength,
                InlineDelivery = requested.InlineDelivery,
            }),
        };
    }

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public virtual void Validate()
    {
        OptionChecks.Positive(BufferCapacity, nameof(BufferCapacity));
        OptionChecks.Positive(RequeueCapacity, nameof(RequeueCapacity));
        OptionChecks.NonNegative(MaxBodyLength, nameof(MaxBodyLength));
    }
}
