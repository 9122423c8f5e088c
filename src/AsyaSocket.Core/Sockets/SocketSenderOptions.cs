namespace AsyaSocket.Core.Sockets;

/// <summary>How a socket send dials, waits and gives up. Defaults equal the Asya sidecar's, plus an ack timeout it lacks.</summary>
public sealed record SocketSenderOptions
{
    /// <summary>Connect attempts before giving up (sidecar: 60).</summary>
    public int DialAttempts { get; init; } = 60;

    /// <summary>Pause between connect attempts (sidecar: 500 ms).</summary>
    public TimeSpan DialRetryInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time one connect attempt may take (sidecar: 2 s).</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time from connected to ack received; <see cref="Timeout.InfiniteTimeSpan"/> waits forever like the sidecar.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest body sent; larger ones fail before dialling.</summary>
    public int MaxBodyLength { get; init; } = FrameHeader.DefaultMaxBodyLength;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (DialAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(DialAttempts), DialAttempts, "At least one dial attempt is needed.");
        }

        EnsureNonNegative(DialRetryInterval, nameof(DialRetryInterval));
        EnsurePositiveOrInfinite(DialTimeout, nameof(DialTimeout));
        EnsurePositiveOrInfinite(AckTimeout, nameof(AckTimeout));
        if (MaxBodyLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBodyLength), MaxBodyLength, "The body cap cannot be negative.");
        }
    }

    private static void EnsureNonNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "The interval cannot be negative.");
        }
    }

    private static void EnsurePositiveOrInfinite(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(name, value, "The timeout must be positive, or infinite.");
        }
    }
}
