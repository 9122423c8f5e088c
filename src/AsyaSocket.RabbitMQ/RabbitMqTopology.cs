using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// The sidecar's declarations: exchange (topic, durable, not auto-deleted, no arguments), the actor's queue
/// (durable classic, not exclusive, not auto-deleted, no arguments) bound with the bare actor name, or, in
/// passive mode, checks that they exist. Declaring what already exists compatibly changes nothing, in either
/// order with a sidecar.
/// </summary>
internal static class RabbitMqTopology
{
    public static Task DeclareExchangeAsync(IChannel channel, RabbitMqMeshOptions options, CancellationToken cancellationToken) =>
        options.DeclareMode == RabbitMqDeclareMode.PassiveOnly
            ? channel.ExchangeDeclarePassiveAsync(options.Exchange, cancellationToken)
            : channel.ExchangeDeclareAsync(options.Exchange, RabbitMqNames.ExchangeType, durable: true, autoDelete: false,
                arguments: null, passive: false, noWait: false, cancellationToken: cancellationToken);

    /// <summary>Declares (or checks) the actor's queue and, when declaring, its binding; returns what the broker says of it.</summary>
    public static async Task<QueueDeclareOk> DeclareActorQueueAsync(IChannel channel, RabbitMqMeshOptions options, string actor, CancellationToken cancellationToken)
    {
        var queue = RabbitMqNames.QueueOf(options.Namespace, actor);
        if (options.DeclareMode == RabbitMqDeclareMode.PassiveOnly)
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false);
        }

        var declared = await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
            arguments: null, passive: false, noWait: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(queue, options.Exchange, RabbitMqNames.RoutingKeyOf(actor), arguments: null,
            noWait: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        return declared;
    }

    /// <summary>A private queue (server-named, exclusive, auto-deleted) bound to the actor's routing key: it sees copies and takes nothing from the actor's queue.</summary>
    public static async Task<string> DeclareTapAsync(IChannel channel, RabbitMqMeshOptions options, string actor, CancellationToken cancellationToken)
    {
        var tap = await channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true,
            arguments: null, passive: false, noWait: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(tap.QueueName, options.Exchange, RabbitMqNames.RoutingKeyOf(actor), arguments: null,
            noWait: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        return tap.QueueName;
    }
}
