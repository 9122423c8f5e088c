using System.Collections.Concurrent;
using System.Diagnostics;
using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// Publishes like the sidecar (exchange <c>asya</c>, routing key the actor name, persistent, application/json,
/// a timestamp, no message id or headers), with <c>mandatory</c> set, and returns only once the broker
/// confirms: a returned (unroutable) or nacked message is an error, never a silent loss. Before the first
/// send to an actor it declares the exchange, the actor's queue and binding as the sidecar does (or checks
/// them, passively). Safe for concurrent sends: they share this sender's one channel.
/// </summary>
public sealed class RabbitMqSender : IAsyaSender
{
    private readonly RabbitMqConnector _connector;
    private readonly SendOptions _options;
    private readonly RetryPlan _retry;
    private readonly SemaphoreSlim _channelGate = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _declared = new(StringComparer.Ordinal);
    private IChannel? _channel;
    private PublishConfirms? _confirms;
    private int _disposed;

    internal RabbitMqSender(RabbitMqConnector connector, SendOptions? options)
    {
        _connector = connector;
        _options = options ?? new SendOptions();
        _options.Validate();
        _retry = new RetryPlan(_options.ConnectAttempts, _options.ConnectRetryInterval, Doubling: false);
    }

    private RabbitMqMeshOptions Mesh => _connector.Options;

    /// <summary>Like the sidecar's RabbitMQ transport, there is no delayed delivery (it would need the x-delayed-message plugin).</summary>
    public ValueTask<AsyaSendResult> SendWithDelayAsync(string actor, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<AsyaSendResult>(new AsyaTransportException(
            AsyaErrorKind.DelayedDeliveryNotSupported,
            "transport does not support delayed delivery",
            "Send without a delay: the sidecar's RabbitMQ transport has no delayed delivery either (it would need the x-delayed-message plugin).",
            RabbitMqTransport.AddressOf(Mesh, actor)));

    /// <inheritdoc />
    public async ValueTask<AsyaSendResult> SendAsync(string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        RabbitMqNames.Validate(Mesh.Namespace, actor);
        var address = RabbitMqTransport.AddressOf(Mesh, actor);
        if (body.Length > _options.MaxBodyLength)
        {
            throw new AsyaTransportException(AsyaErrorKind.MessageTooLarge,
                $"the body is {body.Length} bytes; the limit is {_options.MaxBodyLength}", "Send a smaller body, or raise the limit.", address);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var (channel, confirms) = await GetChannelAsync(cancellationToken).ConfigureAwait(false);
        using var ackTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.AckTimeout != Timeout.InfiniteTimeSpan)
        {
            ackTimeout.CancelAfter(_options.AckTimeout);
        }

        try
        {
            if (!_declared.ContainsKey(actor))
            {
                await RabbitMqTopology.DeclareExchangeAsync(channel, Mesh, ackTimeout.Token).ConfigureAwait(false);
                await RabbitMqTopology.DeclareActorQueueAsync(channel, Mesh, actor, ackTimeout.Token).ConfigureAwait(false);
                _declared[actor] = true;
            }

            var properties = new BasicProperties
            {
                ContentType = "application/json",
                DeliveryMode = DeliveryModes.Persistent,
                Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            };
            await confirms.PublishAsync(Mesh.Exchange, RabbitMqNames.RoutingKeyOf(actor), properties, body, ackTimeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Invalidate(channel);
            throw new AsyaTransportException(AsyaErrorKind.AckTimeout,
                $"the broker did not confirm the message for actor '{actor}' within {_options.AckTimeout.TotalSeconds:0.#} s; it may or may not have been delivered",
                "The broker may be overloaded or blocked by a memory or disk alarm; check it, then send again.",
                address, 1, Stopwatch.GetElapsedTime(started));
        }
        catch (AsyaTransportException error) when (error.Code is RabbitMqErrorCodes.Unroutable or RabbitMqErrorCodes.PublishRefused)
        {
            throw new AsyaTransportException(error.Kind, $"actor '{actor}': {error.Message}", error.Hint, address, 1, Stopwatch.GetElapsedTime(started), code: error.Code);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            if (!channel.IsOpen)
            {
                Invalidate(channel);
            }

            throw RabbitMqErrors.Operation(error, Mesh, $"sending to actor '{actor}'", address);
        }

        return new AsyaSendResult(actor, address, body.Length, 1, Stopwatch.GetElapsedTime(started));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var channel = Interlocked.Exchange(ref _channel, null);
        if (channel is not null)
        {
            try
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already closed by the broker or with the connection.
            }

            await DisposeQuietlyAsync(channel).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async ValueTask<(IChannel Channel, PublishConfirms Confirms)> GetChannelAsync(CancellationToken cancellationToken)
    {
        var current = _channel;
        var currentConfirms = _confirms;
        if (current is { IsOpen: true } && currentConfirms is not null)
        {
            return (current, currentConfirms);
        }

        await _channelGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_channel is { IsOpen: true } open && _confirms is not null)
            {
                return (open, _confirms);
            }

            var connection = await _connector.GetAsync(_retry, cancellationToken).ConfigureAwait(false);
            try
            {
                // Confirms on, the client's tracking off: it would add a header the sidecar's messages do not have.
                var channel = await connection.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false),
                    cancellationToken).ConfigureAwait(false);
                var confirms = new PublishConfirms(channel);
                // A new channel may be on a restarted broker that lost non-durable state: declare again.
                _declared.Clear();
                _confirms = confirms;
                _channel = channel;
                return (channel, confirms);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                throw RabbitMqErrors.Operation(error, Mesh, "opening a channel");
            }
        }
        finally
        {
            _channelGate.Release();
        }
    }

    private void Invalidate(IChannel channel)
    {
        if (Interlocked.CompareExchange(ref _channel, null, channel) == channel)
        {
            _ = DisposeQuietlyAsync(channel);
        }
    }

    private static async Task DisposeQuietlyAsync(IChannel channel)
    {
        try
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A channel the broker closed has nothing left to release.
        }
    }
}
