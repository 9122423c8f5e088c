using System.Collections.Concurrent;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// Publisher confirms for one channel, tracked here rather than by RabbitMQ.Client: the client's tracking
/// stamps an <c>x-dotnet-pub-seq-no</c> header on every message, and the sidecar's messages carry no headers.
/// Each publish waits for the broker's basic.ack (delivered), basic.nack (refused), or a basic.return
/// followed by its ack (unroutable). A return names no sequence number; it is matched to the outstanding
/// publish with the same routing key and body (identical ones are interchangeable: they route alike).
/// </summary>
internal sealed class PublishConfirms
{
    private readonly IChannel _channel;
    private readonly SemaphoreSlim _publishOrder = new(1, 1);
    private readonly ConcurrentDictionary<ulong, Pending> _pending = new();

    public PublishConfirms(IChannel channel)
    {
        _channel = channel;
        channel.BasicAcksAsync += (_, args) => Settle(args.DeliveryTag, args.Multiple, acked: true);
        channel.BasicNacksAsync += (_, args) => Settle(args.DeliveryTag, args.Multiple, acked: false);
        channel.BasicReturnAsync += (_, args) => MarkReturned(args);
        channel.ChannelShutdownAsync += (_, args) => FailAll(args);
    }

    /// <summary>Publishes and completes once the broker confirmed; throws the core's error for a return or a nack.</summary>
    public async Task PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        Pending pending;
        // The sequence number the broker will confirm is known only in publish order.
        await _publishOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sequence = await _channel.GetNextPublishSequenceNumberAsync(cancellationToken).ConfigureAwait(false);
            pending = new Pending(sequence, routingKey, body);
            _pending[sequence] = pending;
            try
            {
                await _channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _pending.TryRemove(sequence, out _);
                throw;
            }
        }
        finally
        {
            _publishOrder.Release();
        }

        try
        {
            await pending.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(pending.Sequence, out _);
        }
    }

    private Task Settle(ulong tag, bool multiple, bool acked)
    {
        if (multiple)
        {
            foreach (var (sequence, pending) in _pending)
            {
                if (sequence <= tag)
                {
                    pending.Settle(acked);
                }
            }
        }
        else if (_pending.TryGetValue(tag, out var pending))
        {
            pending.Settle(acked);
        }

        return Task.CompletedTask;
    }

    private Task MarkReturned(BasicReturnEventArgs args)
    {
        var match = _pending.Values
            .Where(p => p.Return is null && p.RoutingKey == args.RoutingKey && p.Body.Span.SequenceEqual(args.Body.Span))
            .OrderBy(p => p.Sequence)
            .FirstOrDefault();
        if (match is not null)
        {
            match.Return = (args.ReplyCode, args.ReplyText, args.Exchange);
        }

        return Task.CompletedTask;
    }

    private Task FailAll(ShutdownEventArgs reason)
    {
        foreach (var pending in _pending.Values)
        {
            pending.Outcome.TrySetException(new ChannelLostException(reason));
        }

        return Task.CompletedTask;
    }

    /// <summary>One publish waiting for its confirm. The body is the caller's memory, valid until the publish returns.</summary>
    private sealed class Pending(ulong sequence, string routingKey, ReadOnlyMemory<byte> body)
    {
        public ulong Sequence { get; } = sequence;

        public string RoutingKey { get; } = routingKey;

        public ReadOnlyMemory<byte> Body { get; } = body;

        public (ushort Code, string Text, string Exchange)? Return { get; set; }

        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Settle(bool acked)
        {
            if (Return is { } returned)
            {
                Outcome.TrySetException(new AsyaTransportException(AsyaErrorKind.ActorNotFound,
                    $"the broker returned the message: no queue is bound to routing key '{RoutingKey}' on exchange '{returned.Exchange}' ({returned.Code} {returned.Text})",
                    "Start the actor (its sidecar declares and binds its queue), or send with declaring allowed.",
                    code: RabbitMqErrorCodes.Unroutable));
            }
            else if (acked)
            {
                Outcome.TrySetResult();
            }
            else
            {
                Outcome.TrySetException(new AsyaTransportException(AsyaErrorKind.NotAcknowledged,
                    "the broker refused the message (publisher confirm nack)",
                    "The broker could not take the message (for example a full queue that rejects publishes, or an internal error); retry or check the broker's log.",
                    code: RabbitMqErrorCodes.PublishRefused));
            }
        }
    }
}

/// <summary>The channel closed while a publish waited for its confirm.</summary>
internal sealed class ChannelLostException(ShutdownEventArgs reason)
    : global::RabbitMQ.Client.Exceptions.OperationInterruptedException(reason);
