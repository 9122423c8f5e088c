namespace AsyaSocket.Core.Transport;

/// <summary>
/// How a send reaches its receiver, waits for the ack and gives up; the same for every transport.
/// Defaults equal the Asya sidecar's socket sender, plus an ack timeout it lacks.
/// </summary>
public sealed record SendOptions
{
    /// <summary>The sidecar's frame cap: 100 MiB. Exactly this many bytes is accepted; one more is rejected.</summary>
    public const int DefaultMaxBodyLength = 100 * 1024 * 1024;

    /// <summary>Attempts to reach the receiver before giving up (sidecar: 60 dials); only failures to connect are retried.</summary>
    public int ConnectAttempts { get; init; } = 60;

    /// <summary>Pause between attempts (sidecar: 500 ms).</summary>
    public TimeSpan ConnectRetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time one attempt may take (sidecar: 2 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Time from connected to acknowledged (socket: the 0x01 byte; broker: the publisher confirm);
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever like the sidecar.
    /// </summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Told of each failed attempt that will be retried, on the sender's own thread: it must return at once
    /// and never throw (what it throws is ignored). Null: nobody is told.
    /// </summary>
    public Action<AsyaConnectRetry>? ConnectRetrying { get; init; }

    /// <summary>Largest body sent; larger ones fail before any attempt.</summary>
    public int MaxBodyLength { get; init; } = DefaultMaxBodyLength;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (ConnectAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConnectAttempts), ConnectAttempts, "At least one attempt is needed.");
        }

        OptionChecks.NonNegative(ConnectRetryInterval, nameof(ConnectRetryInterval));
        OptionChecks.PositiveOrInfinite(ConnectTimeout, nameof(ConnectTimeout));
        OptionChecks.PositiveOrInfinite(AckTimeout, nameof(AckTimeout));
        OptionChecks.NonNegative(MaxBodyLength, nameof(MaxBodyLength));
    }
}
