using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A listener's bounded buffer, in messages and in body bytes: writers wait while it is full (backpressure),
/// requeued messages come out first, and after completion the consumer can still drain what is left.
/// Room is counted here, not by the channel, so a connection can reserve it, ack, and only then publish
/// (<see cref="TryReserve"/>, <see cref="Publish"/>): with inline delivery the consumer runs inside
/// <see cref="Publish"/>, and the ack must not wait for it.
/// </summary>
internal sealed class MessageBuffer
{
    [ThreadStatic]
    private static bool t_deliveringInline;

    private readonly Channel<PendingMessage> _channel;
    private readonly ConcurrentQueue<Requeued> _requeued = new();
    private readonly SemaphoreSlim _requeueSlots;
    private readonly ByteBudget _bytes;
    private readonly ByteBudget _slots;
    private readonly bool _inlineDelivery;

    /// <param name="capacity">Messages held at most.</param>
    /// <param name="byteCapacity">Body bytes held at most (one larger message when empty).</param>
    /// <param name="requeueCapacity">Requeued messages pending at most.</param>
    /// <param name="inlineDelivery">Run a waiting consumer's continuation on the publishing thread, instead of the thread pool.</param>
    public MessageBuffer(int capacity, long byteCapacity, int requeueCapacity, bool inlineDelivery = false)
    {
        _bytes = new ByteBudget(byteCapacity);
        _slots = new ByteBudget(capacity);
        _inlineDelivery = inlineDelivery;
        _channel = Channel.CreateUnbounded<PendingMessage>(new UnboundedChannelOptions
        {
            SingleReader = false,
            SingleWriter = false,
            AllowSynchronousContinuations = inlineDelivery,
        });
        _requeueSlots = new SemaphoreSlim(requeueCapacity, requeueCapacity);
    }

    /// <summary>True while this thread runs a consumer inline, inside <see cref="Publish"/>: it must not wait for the listener.</summary>
    public static bool DeliveringInline => t_deliveringInline;

    public int Count => _channel.Reader.Count + _requeued.Count;

    /// <summary>Body bytes of the messages waiting in the buffer to be taken.</summary>
    public long Bytes => _bytes.Reserved;

    /// <summary>Waits for room, then adds; throws <see cref="OperationCanceledException"/> or <see cref="ChannelClosedException"/> when that cannot happen.</summary>
    public async ValueTask AddAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        await ReserveAsync(pending, cancellationToken).ConfigureAwait(false);
        Publish(pending);
    }

    /// <summary>Waits for room, then reserves it (<see cref="Publish"/> must follow); cancelled, nothing stays reserved.</summary>
    public async ValueTask ReserveAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        await _bytes.ReserveAsync(pending.Message.Length, cancellationToken).ConfigureAwait(false);
        try
        {
            await _slots.ReserveAsync(1, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _bytes.Release(pending.Message.Length);
            throw;
        }

        pending.HoldBufferRoom();
    }

    /// <summary>Adds when there is room now, in messages and in bytes; false when the buffer is full.</summary>
    public bool TryAdd(PendingMessage pending)
    {
        if (!TryReserve(pending))
        {
            return false;
        }

        Publish(pending);
        return true;
    }

    /// <summary>Reserves room for <paramref name="pending"/> when there is some now; <see cref="Publish"/> must follow.</summary>
    public bool TryReserve(PendingMessage pending)
    {
        if (!_bytes.TryReserve(pending.Message.Length))
        {
            return false;
        }

        if (!_slots.TryReserve(1))
        {
            _bytes.Release(pending.Message.Length);
            return false;
        }

        pending.HoldBufferRoom();
        return true;
    }

    /// <summary>
    /// Makes a message with reserved room takeable. It cannot fail: the listener completes the buffer only after
    /// every connection is done, so nothing is published after <see cref="Complete"/>.
    /// </summary>
    public void Publish(PendingMessage pending)
    {
        var outer = t_deliveringInline;
        t_deliveringInline = _inlineDelivery;
        try
        {
            if (!_channel.Writer.TryWrite(pending))
            {
                Uncount(pending);
                throw new ChannelClosedException("The listener's buffer was completed while a connection still held a message.");
            }
        }
        finally
        {
            t_deliveringInline = outer;
        }
    }

    /// <summary>A message its connection withdrew: if it was still waiting in the buffer, its bytes no longer count.</summary>
    public void Withdrawn(PendingMessage pending) => Uncount(pending);

    /// <summary>Puts an acknowledged message back first; waits while the requeue slots (the sidecar's 4) are taken.</summary>
    public async ValueTask RequeueAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        await _requeueSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        _requeued.Enqueue(new Requeued(pending, HoldsSlot: true));
    }

    /// <summary>
    /// Puts a message its consumer gave back unacknowledged first, without waiting: it never left the
    /// listener's custody, and its connection still holds its sender back.
    /// </summary>
    public void Return(PendingMessage pending) => _requeued.Enqueue(new Requeued(pending, HoldsSlot: false));

    /// <summary>The next message, or null once completed and empty.</summary>
    public async ValueTask<PendingMessage?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeRequeued(out var requeued))
            {
                return requeued;
            }

            if (_channel.Reader.TryRead(out var pending))
            {
                if (pending.TryTake())
                {
                    Uncount(pending);
                    return pending;
                }

                continue;
            }

            if (!await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return TryTakeRequeued(out requeued) ? requeued : null;
            }
        }
    }

    /// <summary>Everything takeable now, without waiting.</summary>
    public List<PendingMessage> TakeAvailable()
    {
        var taken = new List<PendingMessage>();
        while (TryTakeRequeued(out var requeued))
        {
            taken.Add(requeued);
        }

        while (_channel.Reader.TryRead(out var pending))
        {
            if (pending.TryTake())
            {
                Uncount(pending);
                taken.Add(pending);
            }
        }

        return taken;
    }

    private void Uncount(PendingMessage pending)
    {
        if (pending.TryReleaseBufferRoom())
        {
            _bytes.Release(pending.Message.Length);
            _slots.Release(1);
        }
    }

    /// <summary>No more additions; what is in stays takeable.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    // A returned message whose connection withdrew it meanwhile is skipped, like a withdrawn one in the channel.
    private bool TryTakeRequeued(out PendingMessage pending)
    {
        while (_requeued.TryDequeue(out var entry))
        {
            if (entry.HoldsSlot)
            {
                _requeueSlots.Release();
            }

            if (entry.Pending.TryTake())
            {
                pending = entry.Pending;
                return true;
            }
        }

        pending = null!;
        return false;
    }

    private readonly record struct Requeued(PendingMessage Pending, bool HoldsSlot);
}
