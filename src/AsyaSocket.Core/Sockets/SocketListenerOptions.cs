using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>How a socket listener binds, reads and buffers.</summary>
public sealed record SocketListenerOptions
{
    /// <summary>Messages held before acks stop (backpressure).</summary>
    public int BufferCapacity { get; init; } = 64;

    /// <summary>Time a peer has, from connect, to deliver its whole frame.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Replace the socket file even when a live listener owns it.</summary>
    public bool Force { get; init; }

    /// <summary>Mode for the socket file (for example 0666 when mesh containers run as different UIDs); null keeps the umask's.</summary>
    public UnixFileMode? SocketMode { get; init; }

    /// <summary>Largest body accepted; a larger header closes the connection before anything is allocated.</summary>
    public int MaxBodyLength { get; init; } = FrameHeader.DefaultMaxBodyLength;

    /// <summary>Connections served at once; more wait in the kernel's backlog.</summary>
    public int MaxConcurrentConnections { get; init; } = 256;

    /// <summary>Requeued messages held before <c>RequeueAsync</c> waits (sidecar: 4).</summary>
    public int RequeueCapacity { get; init; } = 4;

    /// <summary>When the ack is sent.</summary>
    public AckPolicy AckPolicy { get; init; } = AckPolicy.WhenBuffered;

    /// <summary>How often the listener checks that its socket file is still its own.</summary>
    public TimeSpan SocketCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        Positive(BufferCapacity, nameof(BufferCapacity));
        Positive(MaxConcurrentConnections, nameof(MaxConcurrentConnections));
        Positive(RequeueCapacity, nameof(RequeueCapacity));
        if (MaxBodyLength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBodyLength), MaxBodyLength, "The body cap cannot be negative.");
        }

        if (ReadTimeout <= TimeSpan.Zero && ReadTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadTimeout), ReadTimeout, "The read timeout must be positive, or infinite.");
        }

        if (SocketCheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SocketCheckInterval), SocketCheckInterval, "The check interval must be positive.");
        }
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be at least 1.");
        }
    }
}
