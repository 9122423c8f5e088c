using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A received message whose connection still waits for its ack. It sits in the listener's buffer until a
/// consumer takes it; under <see cref="AckPolicy.WhenTaken"/> taking it decides the ack, under
/// <see cref="AckPolicy.Explicit"/> the consumer then holds it until it settles it (ack, reject, or requeue
/// back into the buffer). The connection may withdraw it (its sender gave up, or the listener stops) while
/// it is waiting or held; exactly one of withdrawal and settlement wins.
/// </summary>
internal sealed class PendingMessage
{
    private const int Waiting = 0;
    private const int Held = 1;
    private const int Acknowledged = 2;
    private const int Rejected = 3;
    private const int Withdrawn = 4;

    private readonly bool _explicit;
    private readonly TaskCompletionSource<bool>? _outcome;
    private readonly TaskCompletionSource<bool>? _ackWritten;
    private IInlineSettlement? _settlement;
    private int _state;
    private int _holdsBufferRoom;
    private int _ackHandled;

    public PendingMessage(AsyaReceivedMessage message, AckPolicy policy)
    {
        Message = message;
        _explicit = policy == AckPolicy.Explicit;
        if (policy != AckPolicy.WhenBuffered)
        {
            _outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        if (_explicit)
        {
            _ackWritten = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public AsyaReceivedMessage Message { get; }

    /// <summary>
    /// Which listener a consumer holds it from (Explicit), set before the message is handed out: that listener's own
    /// token, not the listener, so a message a script keeps does not keep its listener alive.
    /// </summary>
    public object? HeldBy { get; set; }

    /// <summary>Marks that it holds room in the buffer: one message and its body's bytes.</summary>
    public void HoldBufferRoom() => Volatile.Write(ref _holdsBufferRoom, 1);

    /// <summary>True exactly once after <see cref="HoldBufferRoom"/>: when it is taken, or withdrawn while still in the buffer.</summary>
    public bool TryReleaseBufferRoom() => Interlocked.Exchange(ref _holdsBufferRoom, 0) == 1;

    /// <summary>True when its ack waits for a consumer (taken or settled); false when buffering alone acks it.</summary>
    public bool AwaitsConsumer => _outcome is not null;

    /// <summary>The connection's side: true to ack, false to close without an ack. Completes when taken (WhenTaken) or settled (Explicit).</summary>
    public Task<bool> Outcome => _outcome?.Task ?? Task.FromResult(true);

    /// <summary>The consumer's side (Explicit): completes with whether the ack reached the connection.</summary>
    public Task<bool> AckWritten => _ackWritten?.Task ?? Task.FromResult(true);

    /// <summary>True once settled, withdrawn, or acked on take: no settlement can change it any more.</summary>
    public bool IsFinal => Volatile.Read(ref _state) >= Acknowledged;

    /// <summary>True when it was withdrawn (its sender gave up, or the listener stopped) before it was settled.</summary>
    public bool IsWithdrawn => Volatile.Read(ref _state) == Withdrawn;

    /// <summary>The consumer's side: true when the message is the consumer's to emit.</summary>
    public bool TryTake()
    {
        var next = _explicit ? Held : Acknowledged;
        if (Interlocked.CompareExchange(ref _state, next, Waiting) != Waiting)
        {
            return false;
        }

        if (next == Acknowledged)
        {
            // Taking is the settlement (WhenTaken): a connection held on its raw descriptor acks and closes here.
            TakeSettlement()?.Settle(acknowledge: true);
            _outcome?.TrySetResult(true);
        }

        return true;
    }

    /// <summary>
    /// The connection's side: lets the thread that settles the message (Explicit) or takes it (WhenTaken) write the ack
    /// itself (and, for a connection held on its raw descriptor, close it), so it costs no hand-over to a connection task.
    /// </summary>
    public void OfferInlineSettlement(IInlineSettlement settlement) => _settlement = settlement;

    /// <summary>True once a consumer took it (and perhaps settled it) or it was withdrawn: no longer waiting in the buffer.</summary>
    public bool IsTaken => Volatile.Read(ref _state) != Waiting;

    /// <summary>True when the settling thread wrote (or failed to write) the ack itself: the connection must not write it again.</summary>
    public bool AckHandled => Volatile.Read(ref _ackHandled) == 1;

    /// <summary>The consumer's side (Explicit): ack it, or give it back to its sender; false when it is no longer held.</summary>
    public bool TrySettle(bool acknowledge)
    {
        if (Interlocked.CompareExchange(ref _state, acknowledge ? Acknowledged : Rejected, Held) != Held)
        {
            return false;
        }

        // Before the outcome: the connection closes its socket only once the outcome is known.
        if (TakeSettlement()?.Settle(acknowledge) is { } written && acknowledge)
        {
            Volatile.Write(ref _ackHandled, 1);
            _ackWritten!.TrySetResult(written);
        }

        _outcome!.TrySetResult(acknowledge);
        return true;
    }

    /// <summary>The consumer's side (Explicit): back to waiting, to go into the buffer again; false when it is no longer held.</summary>
    public bool TryReturn() => Interlocked.CompareExchange(ref _state, Waiting, Held) == Held;

    /// <summary>The connection's side: true when the message was withdrawn before any consumer took (or settled) it.</summary>
    public bool TryWithdraw()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state is not (Waiting or Held))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, Withdrawn, state) == state)
            {
                TakeSettlement();
                _ackWritten?.TrySetResult(false);
                return true;
            }
        }
    }

    // Used at most once, when the message becomes final: then let go of the connection (and through it the listener),
    // which a message the consumer keeps would otherwise keep alive.
    private IInlineSettlement? TakeSettlement() => Interlocked.Exchange(ref _settlement, null);

    /// <summary>The connection's side: whether the ack was written, for a consumer waiting in its acknowledge.</summary>
    public void ReportAck(bool written) => _ackWritten?.TrySetResult(written);
}
