using System.Collections.Concurrent;
using System.Threading.Channels;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A listener's bounded buffer: writers wait while it is full (backpressure), requeued messages come out
/// first, and after completion the consumer can still drain what is left.
/// </summary>
internal sealed class MessageBuffer
{
    private readonly Channel<PendingMessage> _channel;
    private readonly ConcurrentQueue<AsyaReceivedMessage> _requeued = new();
    private readonly SemaphoreSlim _requeueSlots;

    public MessageBuffer(int capacity, int requeueCapacity)
    {
        _channel = Channel.CreateBounded<PendingMessage>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
        _requeueSlots = new SemaphoreSlim(requeueCapacity, requeueCapacity);
    }

    public int Count => _channel.Reader.Count + _requeued.Count;

    /// <summary>Waits for room, then adds; throws <see cref="OperationCanceledException"/> or <see cref="ChannelClosedException"/> when that cannot happen.</summary>
    public ValueTask AddAsync(PendingMessage pending, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(pending, cancellationToken);

    /// <summary>Adds when there is room now; false when the buffer is full.</summary>
    public bool TryAdd(PendingMessage pending) => _channel.Writer.TryWrite(pending);

    public async ValueTask RequeueAsync(AsyaReceivedMessage message, CancellationToken cancellationToken)
    {
        await _requeueSlots.WaitAsync(cancellationToken).ConfigureAwait(false);
        _requeued.Enqueue(message);
    }

    /// <summary>The next message, or null once completed and empty.</summary>
    public async ValueTask<AsyaReceivedMessage?> TakeAsync(CancellationToken cancellationToken)
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
                    return pending.Message;
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
    public List<AsyaReceivedMessage> TakeAvailable()
    {
        var taken = new List<AsyaReceivedMessage>();
        while (TryTakeRequeued(out var requeued))
        {
            taken.Add(requeued);
        }

        while (_channel.Reader.TryRead(out var pending))
        {
            if (pending.TryTake())
            {
                taken.Add(pending.Message);
            }
        }

        return taken;
    }

    /// <summary>No more additions; what is in stays takeable.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private bool TryTakeRequeued(out AsyaReceivedMessage message)
    {
        if (_requeued.TryDequeue(out message!))
        {
            _requeueSlots.Release();
            return true;
        }

        return false;
    }
}
