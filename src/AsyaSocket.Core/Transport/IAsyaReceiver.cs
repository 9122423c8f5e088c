using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Transport;

/// <summary>
/// Receives the messages sent to one actor name. Transport-neutral: a socket listener today, a queue
/// consumer on a broker transport tomorrow. Disposing stops receiving; messages already acknowledged stay
/// readable until drained, so nothing acknowledged is lost.
/// </summary>
public interface IAsyaReceiver : IAsyncDisposable, IDisposable
{
    /// <summary>The actor name received as.</summary>
    string Actor { get; }

    /// <summary>Where senders reach it: the socket path on this transport.</summary>
    string Address { get; }

    /// <summary>What happened so far.</summary>
    ListenerCounters Counters { get; }

    /// <summary>Completes when the receiver stops: normally when disposed, with an exception when it failed (for example its socket file was replaced).</summary>
    Task Completion { get; }

    /// <summary>The next message; requeued ones first. Throws <see cref="AsyaErrorKind.ListenerClosed"/> once stopped and drained.</summary>
    ValueTask<AsyaReceivedMessage> ReceiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Every message until the receiver stops and is drained (or <paramref name="cancellationToken"/> fires).</summary>
    IAsyncEnumerable<AsyaReceivedMessage> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Every message already received and buffered, without waiting.</summary>
    IReadOnlyList<AsyaReceivedMessage> DrainBuffered();

    /// <summary>Puts a message back so the next receive returns it first; waits while the requeue buffer is full.</summary>
    ValueTask RequeueAsync(AsyaReceivedMessage message, CancellationToken cancellationToken = default);
}
