using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>How a socket listener binds, reads and buffers: the neutral <see cref="ListenOptions"/> plus what only a socket has.</summary>
public sealed record SocketListenerOptions : ListenOptions
{
    /// <summary>Time a peer has, from connect, to deliver its whole frame.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Replace the socket file even when a live listener owns it.</summary>
    public bool Force { get; init; }

    /// <summary>Mode for the socket file (for example 0666 when mesh containers run as different UIDs); null keeps the umask's.</summary>
    public UnixFileMode? SocketMode { get; init; }

    /// <summary>Connections served at once; more wait in the kernel's backlog.</summary>
    public int MaxConcurrentConnections { get; init; } = 256;

    /// <summary>How often the listener checks that its socket file is still its own.</summary>
    public TimeSpan SocketCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// These socket settings with the neutral ones of <paramref name="options"/>: what a caller of
    /// <see cref="IAsyaTransport.Listen"/> asks for, over what the transport was opened with.
    /// </summary>
    public SocketListenerOptions With(ListenOptions? options) => options switch
    {
        null => this,
        SocketListenerOptions socket => socket,
        _ => this with
        {
            BufferCapacity = options.BufferCapacity,
            RequeueCapacity = options.RequeueCapacity,
            AckPolicy = options.AckPolicy,
            MaxBodyLength = options.MaxBodyLength,
        },
    };

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        OptionChecks.Positive(MaxConcurrentConnections, nameof(MaxConcurrentConnections));
        if (ReadTimeout <= TimeSpan.Zero && ReadTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ReadTimeout), ReadTimeout, "The read timeout must be positive, or infinite.");
        }

        OptionChecks.Positive(SocketCheckInterval, nameof(SocketCheckInterval));
    }
}
