namespace AsyaSocket.RabbitMQ;

/// <summary>The sidecar's names on the broker: queue <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c>, routing key the bare actor name.</summary>
public static class RabbitMqNames
{
    /// <summary>The sidecar's queue name prefix.</summary>
    public const string QueuePrefix = "asya-";

    /// <summary>The exchange type the sidecar declares.</summary>
    public const string ExchangeType = "topic";

    /// <summary>The actor's queue.</summary>
    public static string QueueOf(string @namespace, string actor) => $"{QueuePrefix}{@namespace}-{actor}";

    /// <summary>The routing key messages for the actor carry (no namespace: two namespaces on one vhost both get them).</summary>
    public static string RoutingKeyOf(string actor) => actor;

    /// <summary>Checks an actor name for what AMQP allows in a queue name and routing key (1 to 255 bytes with the prefix).</summary>
    public static void Validate(string @namespace, string actor)
    {
        if (string.IsNullOrEmpty(actor))
        {
            throw new AsyaTransportException(AsyaErrorKind.InvalidActorName, "the actor name is empty");
        }

        if (System.Text.Encoding.UTF8.GetByteCount(QueueOf(@namespace, actor)) > 255)
        {
            throw new AsyaTransportException(AsyaErrorKind.AddressTooLong,
                $"the queue name for actor '{actor}' is longer than the 255 bytes AMQP allows", code: RabbitMqErrorCodes.QueueNameTooLong);
        }
    }
}
