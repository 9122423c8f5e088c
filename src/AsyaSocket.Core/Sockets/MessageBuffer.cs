using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A listener's bounded buffer, in messages and in body bytes: writers wait while it is full (backpressure),
/// requeued messages come out first, and after completion the consumer can still drain what is left.
/// </summary>
internal sealed class MessageBuffer
{
    private readonly Channel<PendingMessage> _channel;
    private readonly ConcurrentQueue<Requeued> _requeued = new();
    private readonly SemaphoreSlim _requeueSlots;
    private readonly ByteBudget _bytes;

    public MessageBuffer(int capacity, long byteCapacity, int requeueCapacity)
    {
        _bytes = new ByteBudget(byteCapacity);
        _channel = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _requeueSlots = new SemaphoreSlim(requeueCapacity, requeueCapacity);
    }

    public int Count => _channel.Reader.Count + _requeued.Count;

    /// <summary>Body bytes of the messages waiting in the buffer to be taken.</summary>
    public long Bytes => _bytes.Reserved;

    /// <summary>Waits for room, then adds; throws <see cref="OperationCanceledException"/> or <see cref="ChannelClosedException"/> when that cannot happen.</summary>
    public async ValueTask AddAsync(PendingMessage pending, CancellationToken cancellationToken)
    {
        await _bytes.ReserveAsync(pending.Message.Length, cancellationToken).ConfigureAwait(false);
        pending.CountBufferBytes();
        try
        {
            await _channel.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Uncount(pending);
            throw;
        }
    }

    /// <summary>Adds when there is room now, in messages and in bytes; false when the buffer is full.</summary>
    public bool TryAdd(PendingMessage pending)
    {
        if (!_bytes.TryReserve(pending.Message.Length))
        {
            return false;
        }

        pending.CountBufferBytes();
        if (!_channel.Writer.TryWrite(pending))
        {
            Uncount(pending);
            return false;
        }

        return true;
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
        if (pending.TryUncountBufferBytes())
        {
            _bytes.Release(pending.Message.Length);
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
