using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A received message waiting in a listener's buffer. Under <see cref="AckPolicy.WhenTaken"/> the connection
/// that brought it waits until a consumer takes it (then acks) or the listener stops first (then withdraws it,
/// unacked). Exactly one of the two wins.
/// </summary>
internal sealed class PendingMessage
{
    private const int Waiting = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource? _taken;
    private int _state;

    public PendingMessage(AsyaReceivedMessage message, bool waitForTake)
    {
        Message = message;
        _taken = waitForTake ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null;
    }

    public AsyaReceivedMessage Message { get; }

    /// <summary>Completes when a consumer took the message.</summary>
    public Task WhenTaken => _taken?.Task ?? Task.CompletedTask;

    /// <summary>The consumer's side: true when the message is the consumer's to emit.</summary>
    public bool TryTake()
    {
        if (Interlocked.CompareExchange(ref _state, Taken, Waiting) != Waiting)
        {
            return false;
        }

        _taken?.TrySetResult();
        return true;
    }

    /// <summary>The connection's side: true when the message was withdrawn before any consumer took it.</summary>
    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Waiting) == Waiting;
}
