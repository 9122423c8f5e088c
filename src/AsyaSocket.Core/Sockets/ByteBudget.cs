namespace AsyaSocket.Core.Sockets;

/// <summary>
/// An allowance of bytes shared by a listener's connections: bodies being read, or bodies held in the buffer.
/// A reservation that does not fit waits (first come, first served) until others release. Two rules keep it
/// from wedging: when nothing is reserved any single reservation is granted, and a holder marked as the oldest
/// (<see cref="Holder"/>) may always grow, so one frame of any accepted size finishes and frees its share.
/// </summary>
internal sealed class ByteBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly SortedSet<long> _holders = new();
    private long _nextHolder;
    private long _reserved;

    public ByteBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        Limit = limit;
    }

    public long Limit { get; }

    public long Reserved
    {
        get
        {
            lock (_gate)
            {
                return _reserved;
            }
        }
    }

    /// <summary>A ticket for a caller that will reserve several times (a body growing chunk by chunk); dispose it when done.</summary>
    public Holder NewHolder()
    {
        lock (_gate)
        {
            var id = ++_nextHolder;
            _holders.Add(id);
            return new Holder(this, id);
        }
    }

    /// <summary>Reserves when the bytes fit now (and nobody waits ahead); false otherwise.</summary>
    public bool TryReserve(long bytes)
    {
        lock (_gate)
        {
            if (_waiters.Count > 0 || !Fits(bytes, 0))
            {
                return false;
            }

            _reserved += bytes;
            return true;
        }
    }

    /// <summary>Waits until the bytes fit, then reserves them. Cancelled: nothing stays reserved.</summary>
    public ValueTask ReserveAsync(long bytes, CancellationToken cancellationToken) => ReserveAsync(bytes, 0, cancellationToken);

    public void Release(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        List<Waiter>? granted;
        lock (_gate)
        {
            _reserved -= bytes;
            granted = GrantWaiters();
        }

        Complete(granted);
    }

    private ValueTask ReserveAsync(long bytes, long holder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            if ((_waiters.Count == 0 || IsOldest(holder)) && Fits(bytes, holder))
            {
                _reserved += bytes;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter(bytes, holder);
            waiter.Node = _waiters.AddLast(waiter);
        }

        return new ValueTask(WaitAsync(waiter, cancellationToken));
    }

    private bool IsOldest(long holder) => holder != 0 && _holders.Count > 0 && _holders.Min == holder;

    private bool Fits(long bytes, long holder) => _reserved == 0 || _reserved + bytes <= Limit || IsOldest(holder);

    // In order while they fit; past the first that does not, only the oldest holder may still go.
    private List<Waiter>? GrantWaiters()
    {
        List<Waiter>? granted = null;
        var blocked = false;
        for (var node = _waiters.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if ((!blocked && Fits(waiter.Bytes, waiter.Holder)) || IsOldest(waiter.Holder))
            {
                _reserved += waiter.Bytes;
                _waiters.Remove(node);
                waiter.Node = null;
                (granted ??= []).Add(waiter);
            }
            else
            {
                blocked = true;
            }

            node = next;
        }

        return granted;
    }

    // Outside the lock; the continuations run elsewhere (RunContinuationsAsynchronously).
    private static void Complete(List<Waiter>? granted) => granted?.ForEach(waiter => waiter.Done.TrySetResult());

    private async Task WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            await waiter.Done.Task.ConfigureAwait(false);
        }
    }

    private void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return; // granted first: the reservation stands and the caller releases it
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            granted = GrantWaiters(); // it may have been the one blocking the queue
        }

        waiter.Done.TrySetCanceled(cancellationToken);
        Complete(granted);
    }

    private void Leave(long holder)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            _holders.Remove(holder);
            granted = GrantWaiters(); // another holder may be the oldest now
        }

        Complete(granted);
    }

    /// <summary>One caller's reservations, released together on dispose.</summary>
    public sealed class Holder : IDisposable
    {
        private readonly ByteBudget _budget;
        private readonly long _id;

        internal Holder(ByteBudget budget, long id)
        {
            _budget = budget;
            _id = id;
        }

        public long Held { get; private set; }

        public async ValueTask ReserveAsync(long bytes, CancellationToken cancellationToken)
        {
            await _budget.ReserveAsync(bytes, _id, cancellationToken).ConfigureAwait(false);
            Held += bytes;
        }

        public void Dispose()
        {
            _budget.Release(Held);
            Held = 0;
            _budget.Leave(_id);
        }
    }

    private sealed class Waiter(long bytes, long holder)
    {
        public long Bytes { get; } = bytes;

        public long Holder { get; } = holder;

        public LinkedListNode<Waiter>? Node { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
