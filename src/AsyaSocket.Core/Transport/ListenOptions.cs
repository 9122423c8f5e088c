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
