using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// Consumes an actor's queue (or a tap of it) with manual acknowledgements; the ack policy says when basic.ack
/// goes out: once the message is in the bounded buffer, once it is taken, or only when its holder settles it
/// (<see cref="AcknowledgeAsync"/>). Until then the broker keeps it, so a stop, a crash or a lost connection
/// returns every unacknowledged message to the queue. The buffer capacity is the prefetch. After losing the
/// broker the receiver consumes again (declaring again) until <see cref="RabbitMqListenOptions.ReconnectTimeout"/>,
/// then fails with the reason.
/// </summary>
public sealed class RabbitMqReceiver : IAsyaReceiver
{
    /// <summary>Counted when the consumer gives a message up without requeue.</summary>
    public const string ConsumerRejected = nameof(ConsumerRejected);

    /// <summary>Counted for messages that were held unacknowledged on a channel that was lost (the broker delivers them again).</summary>
    public const string ConnectionLost = nameof(ConnectionLost);

    private readonly RabbitMqConnector _connector;
    private readonly RabbitMqListenOptions _listen;
    private readonly Channel<Delivery> _buffer;
    private readonly LinkedList<Delivery> _front = new();
    private readonly SemaphoreSlim _frontRoom;
    private readonly ConcurrentDictionary<Guid, Delivery> _handedOut = new();
    private readonly ConcurrentQueue<Delivery> _kept = new();
    private readonly CancellationTokenSource _stopping = new();
    private Session? _session;
    private Task _supervisor = Task.CompletedTask;
    private long _received;
    private long _acked;
    private long _ackFailed;
    private long _rejected;
    private long _lost;
    private long _reconnects;
    private int _disposed;
    private int _delivering;

    private RabbitMqReceiver(RabbitMqConnector connector, string actor, RabbitMqListenOptions listen)
    {
        _connector = connector;
        _listen = listen;
        _buffer = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(listen.BufferCapacity) { SingleWriter = false });
        _frontRoom = new SemaphoreSlim(listen.RequeueCapacity, listen.RequeueCapacity);
        Actor = actor;
        Address = RabbitMqTransport.AddressOf(connector.Options, actor) + (listen.Tap ? " (tap)" : string.Empty);
    }

    /// <inheritdoc />
    public string Actor { get; }

    /// <inheritdoc />
    public string Address { get; }

    /// <summary>Whether this receiver sees copies through a private queue instead of consuming the actor's queue.</summary>
    public bool IsTap => _listen.Tap;

    /// <summary>The queue consumed now (a server-named one for a tap).</summary>
    public string? QueueName => _session?.Queue;

    /// <summary>Consumers the actor's queue had when this receiver started (itself not counted).</summary>
    public uint ConsumersAtStart { get; private set; }

    /// <summary>Times the receiver consumed again after losing the broker.</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <inheritdoc />
    public ReceiverCounters Counters
    {
        get
        {
            var rejected = new Dictionary<string, long>(StringComparer.Ordinal);
            if (Interlocked.Read(ref _rejected) is > 0 and var consumerRejected)
            {
                rejected[ConsumerRejected] = consumerRejected;
            }

            if (Interlocked.Read(ref _lost) is > 0 and var lost)
            {
                rejected[ConnectionLost] = lost;
            }

            int front;
            lock (_front)
            {
                front = _front.Count;
            }

            return new ReceiverCounters(Interlocked.Read(ref _received), Interlocked.Read(ref _acked), Interlocked.Read(ref _ackFailed),
                _buffer.Reader.Count + front, rejected);
        }
    }

    /// <inheritdoc />
    public Task Completion { get; private set; } = Task.CompletedTask;

    private RabbitMqMeshOptions Mesh => _connector.Options;

    internal static async Task<RabbitMqReceiver> StartAsync(RabbitMqConnector connector, string actor, ListenOptions? options, CancellationToken cancellationToken)
    {
        var listen = RabbitMqListenOptions.From(options);
        listen.Validate();
        RabbitMqNames.Validate(connector.Options.Namespace, actor);
        var receiver = new RabbitMqReceiver(connector, actor, listen);
        receiver._session = await receiver.OpenAsync(firstTime: true, cancellationToken).ConfigureAwait(false);
        receiver._supervisor = receiver.SuperviseAsync();
        receiver.Completion = receiver._supervisor;
        return receiver;
    }

    /// <inheritdoc />
    public async ValueTask<AsyaReceivedMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if ((TakeFront() ?? TakeKept()) is { } early)
            {
                if (await TakeAsync(early).ConfigureAwait(false))
                {
                    return early.Message;
                }

                continue;
            }

            Delivery delivery;
            try
            {
                delivery = await _buffer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException closed)
            {
                throw closed.InnerException as AsyaTransportException ?? Closed();
            }

            if (await TakeAsync(delivery).ConfigureAwait(false))
            {
                return delivery.Message;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AsyaReceivedMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            AsyaReceivedMessage message;
            try
            {
                message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (AsyaTransportException error) when (error.Kind == AsyaErrorKind.ReceiverClosed)
            {
                yield break;
            }

            yield return message;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<AsyaReceivedMessage> DrainBuffered()
    {
        var taken = new List<AsyaReceivedMessage>();
        while ((TakeFront() ?? TakeKept()) is { } early)
        {
            if (TakeAsync(early).AsTask().GetAwaiter().GetResult())
            {
                taken.Add(early.Message);
            }
        }

        while (_buffer.Reader.TryRead(out var delivery))
        {
            if (TakeAsync(delivery).AsTask().GetAwaiter().GetResult())
            {
                taken.Add(delivery.Message);
            }
        }

        return taken;
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(AsyaReceivedMessage message, CancellationToken cancellationToken = default)
    {
        var delivery = Settle(message);
        if (_listen.AckPolicy != AckPolicy.Explicit)
        {
            return;
        }

        if (!await AckAsync(delivery, cancellationToken).ConfigureAwait(false))
        {
            throw new AsyaTransportException(AsyaErrorKind.SettlementFailed,
                $"the message for actor '{Actor}' could not be acknowledged: its channel was lost, so the broker delivers it again",
                "Expect it again (at-least-once delivery), or deduplicate by envelope id.", Address);
        }
    }

    /// <inheritdoc />
    public async ValueTask RejectAsync(AsyaReceivedMessage message, bool requeue, CancellationToken cancellationToken = default)
    {
        var delivery = Settle(message);
        var explicitAck = _listen.AckPolicy == AckPolicy.Explicit;
        if (requeue)
        {
            if (explicitAck && delivery.Session.Lost)
            {
                return; // the broker has it again already
            }

            // Acknowledged messages wait for room (the sidecar's bounded requeue); unacknowledged ones are bounded by the prefetch.
            if (!explicitAck)
            {
                await _frontRoom.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            lock (_front)
            {
                _front.AddFirst(delivery);
            }

            return;
        }

        Interlocked.Increment(ref _rejected);
        if (explicitAck && !delivery.Session.Lost)
        {
            try
            {
                await delivery.Session.Channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException && !delivery.Session.Channel.IsOpen)
            {
                // The channel closed under the nack: the broker delivers the message again.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _supervisor.ConfigureAwait(false);
            return;
        }

        _stopping.Cancel();
        // Closing the channel returns every unacknowledged message to the queue; a delivery being buffered
        // right now either got its ack in before the close or goes back too.
        await CloseSessionAsync(_session).ConfigureAwait(false);
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (Volatile.Read(ref _delivering) > 0 && DateTime.UtcNow < settle)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }

        _buffer.Writer.TryComplete();
        // Only acknowledged messages stay readable (WhenBuffered): the broker has the others again, and
        // reading them here too would deliver them twice.
        while (_buffer.Reader.TryRead(out var buffered))
        {
            if (buffered.Acked)
            {
                _kept.Enqueue(buffered);
            }
        }

        lock (_front)
        {
            var acked = _front.Where(delivery => delivery.Acked).ToList();
            _front.Clear();
            foreach (var delivery in acked)
            {
                _front.AddLast(delivery);
            }
        }

        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (AsyaTransportException)
        {
            // Completion reports it; disposing after a failure must not throw it again.
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private Delivery? TakeKept() => _kept.TryDequeue(out var kept) ? kept : null;

    private Delivery? TakeFront()
    {
        lock (_front)
        {
            if (_front.First is not { } first)
            {
                return null;
            }

            _front.RemoveFirst();
            if (_listen.AckPolicy != AckPolicy.Explicit)
            {
                _frontRoom.Release();
            }

            return first.Value;
        }
    }

    private async ValueTask<bool> TakeAsync(Delivery delivery)
    {
        switch (_listen.AckPolicy)
        {
            case AckPolicy.Explicit when delivery.Session.Lost:
                return false; // the broker delivers it again on the new channel
            case AckPolicy.WhenTaken when !delivery.Acked:
                if (!await AckAsync(delivery, CancellationToken.None).ConfigureAwait(false))
                {
                    return false;
                }

                delivery.Acked = true;
                break;
        }

        _handedOut[delivery.Message.TransportId] = delivery;
        return true;
    }

    private Delivery Settle(AsyaReceivedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _handedOut.TryRemove(message.TransportId, out var delivery)
            ? delivery
            : throw new InvalidOperationException($"This message was not returned by the receiver for '{Actor}', or it was settled already.");
    }

    private async ValueTask<bool> AckAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Session.Lost)
        {
            Interlocked.Increment(ref _ackFailed);
            return false;
        }

        try
        {
            await delivery.Session.Channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _acked);
            return true;
        }
        catch (Exception error) when (error is not OperationCanceledException && !delivery.Session.Channel.IsOpen)
        {
            // The channel closed under the ack: the broker still has the message and delivers it again.
            Interlocked.Increment(ref _ackFailed);
            return false;
        }
    }

    private async Task<Session> OpenAsync(bool firstTime, CancellationToken cancellationToken)
    {
        var connection = await _connector.GetAsync(cancellationToken).ConfigureAwait(false);
        IChannel channel;
        try
        {
            channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw RabbitMqErrors.Operation(error, Mesh, "opening a channel", Address);
        }

        var session = new Session(channel);
        try
        {
            await channel.BasicQosAsync(0, (ushort)_listen.BufferCapacity, global: false, cancellationToken).ConfigureAwait(false);
            await RabbitMqTopology.DeclareExchangeAsync(channel, Mesh, cancellationToken).ConfigureAwait(false);
            if (_listen.Tap)
            {
                session.Queue = await RabbitMqTopology.DeclareTapAsync(channel, Mesh, Actor, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var queue = await RabbitMqTopology.DeclareActorQueueAsync(channel, Mesh, Actor, cancellationToken).ConfigureAwait(false);
                session.Queue = queue.QueueName;
                if (firstTime)
                {
                    ConsumersAtStart = queue.ConsumerCount;
                    if (queue.ConsumerCount > 0 && !_listen.Compete)
                    {
                        throw new AsyaTransportException(AsyaErrorKind.ActorInUse,
                            $"queue '{queue.QueueName}' already has {queue.ConsumerCount} consumer(s): actor '{Actor}' is running, and listening would take its messages",
                            "Use a tap (-Tap) to see copies without taking them, or -Force to compete with the running actor.",
                            Address, code: RabbitMqErrorCodes.QueueHasConsumers);
                    }
                }
            }

            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, args) => OnDeliveredAsync(session, args);
            // The broker cancels a consumer whose queue was deleted; treat it like a lost channel and consume again.
            consumer.UnregisteredAsync += (_, _) =>
            {
                session.MarkLost();
                return Task.CompletedTask;
            };
            channel.ChannelShutdownAsync += (_, _) =>
            {
                session.MarkLost();
                return Task.CompletedTask;
            };
            session.ConsumerTag = await channel.BasicConsumeAsync(session.Queue, autoAck: false, consumerTag: string.Empty,
                noLocal: false, exclusive: false, arguments: null, consumer, cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch (Exception error)
        {
            await CloseSessionAsync(session).ConfigureAwait(false);
            if (error is OperationCanceledException)
            {
                throw;
            }

            throw RabbitMqErrors.Operation(error, Mesh, $"consuming queue '{session.Queue ?? RabbitMqNames.QueueOf(Mesh.Namespace, Actor)}'", Address);
        }
    }

    private async Task OnDeliveredAsync(Session session, BasicDeliverEventArgs args)
    {
        Interlocked.Increment(ref _delivering);
        try
        {
            await BufferAsync(session, args).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _delivering);
        }
    }

    private async Task BufferAsync(Session session, BasicDeliverEventArgs args)
    {
        if (args.Body.Length > _listen.MaxBodyLength)
        {
            // Like the socket listener's cap: refused before it is copied, and not requeued (it would come straight back).
            Interlocked.Increment(ref _rejected);
            await session.Channel.BasicNackAsync(args.DeliveryTag, multiple: false, requeue: false).ConfigureAwait(false);
            return;
        }

        // The body belongs to the client's buffer only during this callback.
        var message = new AsyaReceivedMessage(Actor, args.Body.ToArray(), DateTimeOffset.UtcNow, Guid.NewGuid());
        Interlocked.Increment(ref _received);
        var delivery = new Delivery(message, session, args.DeliveryTag);
        try
        {
            // Waits while the buffer is full (only under WhenBuffered can it be: otherwise the prefetch bounds it).
            await _buffer.Writer.WriteAsync(delivery, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            return; // stopping: unacknowledged, so the broker keeps it
        }

        if (_listen.AckPolicy == AckPolicy.WhenBuffered && await AckAsync(delivery, CancellationToken.None).ConfigureAwait(false))
        {
            delivery.Acked = true;
        }
    }

    private async Task SuperviseAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            var session = _session!;
            try
            {
                await session.LostTask.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var delivery in _handedOut.Values)
            {
                if (delivery.Session == session && !delivery.Acked)
                {
                    Interlocked.Increment(ref _lost);
                }
            }

            await CloseSessionAsync(session).ConfigureAwait(false);
            try
            {
                _session = await ReconnectAsync(stopping).ConfigureAwait(false);
                Interlocked.Increment(ref _reconnects);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (AsyaTransportException error)
            {
                _buffer.Writer.TryComplete(error);
                throw;
            }
            catch (ObjectDisposedException)
            {
                // The transport's connection was closed under the receiver (Disconnect-AsyaMesh, module removal).
                var closed = new AsyaTransportException(AsyaErrorKind.ReceiverClosed,
                    $"the receiver for actor '{Actor}' stopped: its connection was closed", null, Address);
                _buffer.Writer.TryComplete(closed);
                return;
            }
            catch (Exception error)
            {
                // Nothing may leave the receiver's own task unreported: readers get it as the reason it stopped.
                var failed = new AsyaTransportException(AsyaErrorKind.ConnectFailed,
                    $"the receiver for actor '{Actor}' failed: {error.Message}", null, Address, innerException: error,
                    code: RabbitMqErrorCodes.BrokerUnreachable);
                _buffer.Writer.TryComplete(failed);
                throw failed;
            }
        }
    }

    private async Task<Session> ReconnectAsync(CancellationToken stopping)
    {
        var deadline = DateTime.UtcNow + _listen.ReconnectTimeout;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await OpenAsync(firstTime: false, stopping).ConfigureAwait(false);
            }
            catch (AsyaTransportException error) when (error.Code is RabbitMqErrorCodes.BrokerUnreachable or RabbitMqErrorCodes.ConnectionLost
                or RabbitMqErrorCodes.ChannelError or RabbitMqErrorCodes.QueueNotFound or RabbitMqErrorCodes.ExchangeNotFound)
            {
                if (DateTime.UtcNow + backoff > deadline)
                {
                    throw new AsyaTransportException(AsyaErrorKind.ConnectFailed,
                        $"the receiver for actor '{Actor}' lost the broker and could not consume again within {_listen.ReconnectTimeout.TotalSeconds:0} s: {error.Message}",
                        error.Hint, Address, innerException: error, code: RabbitMqErrorCodes.BrokerUnreachable);
                }
            }

            await Task.Delay(backoff, stopping).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private static async Task CloseSessionAsync(Session? session)
    {
        if (session is null)
        {
            return;
        }

        session.MarkLost();
        try
        {
            if (session.Channel.IsOpen)
            {
                await session.Channel.CloseAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The broker or the connection closed it first.
        }

        try
        {
            await session.Channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Nothing left to release.
        }
    }

    private AsyaTransportException Closed() =>
        new(AsyaErrorKind.ReceiverClosed, $"the receiver for actor '{Actor}' is closed", null, Address);

    private sealed class Delivery(AsyaReceivedMessage message, Session session, ulong tag)
    {
        public AsyaReceivedMessage Message { get; } = message;

        public Session Session { get; } = session;

        public ulong Tag { get; } = tag;

        public bool Acked { get; set; }
    }

    /// <summary>One channel and its consumer; lost once the channel closes or the broker cancels the consumer.</summary>
    private sealed class Session(IChannel channel)
    {
        private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IChannel Channel { get; } = channel;

        public string? Queue { get; set; }

        public string? ConsumerTag { get; set; }

        public bool Lost => _lost.Task.IsCompleted;

        public Task LostTask => _lost.Task;

        public void MarkLost() => _lost.TrySetResult();
    }
}
