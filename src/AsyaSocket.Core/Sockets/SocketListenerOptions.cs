using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>How a socket listener binds, reads and buffers: the neutral <see cref="ListenOptions"/> plus what only a socket has.</summary>
public sealed record SocketListenerOptions : ListenOptions
{
    /// <summary>
    /// Body bytes held in the buffer before acks stop (backpressure), besides <see cref="ListenOptions.BufferCapacity"/>
    /// messages. One message larger than this is still taken when the buffer is empty.
    /// </summary>
    public long MaxBufferedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Body bytes all connections together may hold while their frames arrive. A body up to 1 MiB gets its
    /// (uninitialised) array when its header arrives, a larger one grows in chunks as its bytes arrive; every byte
    /// counts here first, so headers alone hold at most this much, and only until their read timeout. A connection
    /// that would pass this waits, unread, within its read timeout. The oldest connection may always go on, so a
    /// frame of any accepted size completes.
    /// </summary>
    public long MaxInFlightBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a connection's reads may wait inline, on the thread that accepted it, before it is served
    /// asynchronously: in poll(2), or for the rest of a large body inside one timed recv(2), whose limit the kernel
    /// rounds up to a clock tick (4 ms at 250 Hz). A sender that delivers its frame within it costs no thread hop or
    /// timer; a slow or silent one delays the next accept by at most this, so rounded. <see cref="TimeSpan.Zero"/>:
    /// always asynchronous.
    /// </summary>
    public TimeSpan InlineWait { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Borrow bodies up to 1 MiB from the listener's own pool, for a consumer that disposes each message when done with
    /// it (<see cref="AsyaReceivedMessage.Dispose"/>); a message not disposed is simply collected. Saves allocating and
    /// faulting in fresh memory per message; a pooled array may be up to twice the body's length. The pool keeps, until
    /// the listener is collected, as many arrays of each power-of-two size as were out at once, at most
    /// <see cref="ListenOptions.BufferCapacity"/> + <see cref="MaxConcurrentConnections"/> of a size, and never more bytes
    /// in all than <see cref="MaxBufferedBytes"/> + <see cref="MaxInFlightBytes"/> (160 arrays of a size by default).
    /// </summary>
    public bool PooledBodies { get; init; }

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
    public SocketListenerOptions With(ListenOptions? options) => Overlay(this, options);

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
        if (MaxBufferedBytes < 1 || MaxInFlightBytes < 1)
        {
            throw new ArgumentOutOfRangeException(MaxBufferedBytes < 1 ? nameof(MaxBufferedBytes) : nameof(MaxInFlightBytes), "The byte bound must be at least 1.");
        }

        if (InlineWait < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InlineWait), InlineWait, "The inline wait cannot be negative.");
        }
    }
}
