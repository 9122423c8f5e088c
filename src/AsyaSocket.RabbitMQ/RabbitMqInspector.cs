using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ;

/// <summary>The outcome of one broker check.</summary>
public enum RabbitMqCheckStatus
{
    /// <summary>All is well.</summary>
    Pass,
    /// <summary>Works, but something deserves a look.</summary>
    Warn,
    /// <summary>Broken.</summary>
    Fail,
}

/// <summary>One result of inspecting a RabbitMQ mesh.</summary>
/// <param name="Actor">The actor checked; null for broker-wide checks.</param>
/// <param name="Check">Broker, Credentials, Exchange, ExchangeType, QueueExists, Consumers, Backlog, Binding.</param>
/// <param name="Status">Pass, Warn or Fail.</param>
/// <param name="Message">What was found, and what to do when it is not a pass.</param>
/// <param name="Address">The broker or queue checked, without credentials.</param>
public sealed record RabbitMqCheck(string? Actor, string Check, RabbitMqCheckStatus Status, string Message, string Address);

/// <summary>
/// Checks a RabbitMQ mesh without disturbing it: connects, then only passive declarations (which create
/// nothing and take no message) on channels of its own. The exchange's type cannot be read passively; it is
/// checked by redeclaring it exactly as the sidecar does, which changes nothing when it exists compatibly
/// and is skipped when the user may not declare. AMQP cannot tell whether a binding exists, so that is reported as unknown.
/// </summary>
public static class RabbitMqInspector
{
    /// <summary>Runs the checks for the mesh and the given actors.</summary>
    public static async Task<IReadOnlyList<RabbitMqCheck>> InspectAsync(RabbitMqMeshOptions options, IReadOnlyList<string> actors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new List<RabbitMqCheck>();
        var broker = options.DisplayAddress;
        await using var connector = new RabbitMqConnector(options with { ConnectAttempts = 1 }, $"AsyaSocket Test-AsyaMesh pid {Environment.ProcessId}");
        IConnection connection;
        try
        {
            connection = await connector.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AsyaTransportException error) when (error.Kind is AsyaErrorKind.PermissionDenied or AsyaErrorKind.MeshNotFound)
        {
            checks.Add(new(null, "Broker", RabbitMqCheckStatus.Pass, $"The broker at {broker} answers.", broker));
            checks.Add(new(null, "Credentials", RabbitMqCheckStatus.Fail, error.Message + ". " + error.Hint, broker));
            return checks;
        }
        catch (AsyaTransportException error)
        {
            checks.Add(new(null, "Broker", RabbitMqCheckStatus.Fail, error.Message + ". " + error.Hint, broker));
            return checks;
        }

        var version = connection.ServerProperties?.TryGetValue("version", out var raw) == true && raw is byte[] bytes
            ? " (RabbitMQ " + System.Text.Encoding.UTF8.GetString(bytes) + ")" : string.Empty;
        checks.Add(new(null, "Broker", RabbitMqCheckStatus.Pass, $"Connected to {broker}{version}.", broker));
        checks.Add(new(null, "Credentials", RabbitMqCheckStatus.Pass, $"User '{options.UserName}' may use vhost '{options.VirtualHost}'.", broker));

        var exchangeOk = await CheckExchangeAsync(connection, options, checks, cancellationToken).ConfigureAwait(false);
        if (actors.Count == 0)
        {
            checks.Add(new(null, "Actors", RabbitMqCheckStatus.Warn,
                "No actors named: AMQP cannot list queues. Name them with -Actor (or -ComposeFile).", broker));
        }

        foreach (var actor in actors.Distinct(StringComparer.Ordinal))
        {
            await CheckActorAsync(connection, options, actor, exchangeOk, checks, cancellationToken).ConfigureAwait(false);
        }

        return checks;
    }

    private static async Task<bool> CheckExchangeAsync(IConnection connection, RabbitMqMeshOptions options, List<RabbitMqCheck> checks, CancellationToken cancellationToken)
    {
        var broker = options.DisplayAddress;
        var exchange = options.Exchange;
        var missing = await TryAsync(connection, channel => channel.ExchangeDeclarePassiveAsync(exchange, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (missing is null)
        {
            checks.Add(new(null, "Exchange", RabbitMqCheckStatus.Pass, $"Exchange '{exchange}' exists.", broker));
        }
        else
        {
            checks.Add(new(null, "Exchange", RabbitMqCheckStatus.Fail,
                $"Exchange '{exchange}' does not exist ({missing}): no sidecar has started on this vhost yet, or ASYA_RABBITMQ_EXCHANGE differs.", broker));
            return false;
        }

        // Redeclaring exactly as the sidecar does is a no-op for a compatible exchange and a 406 for any other.
        var mismatch = await TryAsync(connection, channel => channel.ExchangeDeclareAsync(exchange, RabbitMqNames.ExchangeType,
            durable: true, autoDelete: false, arguments: null, passive: false, noWait: false, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        if (mismatch is null)
        {
            checks.Add(new(null, "ExchangeType", RabbitMqCheckStatus.Pass, $"Exchange '{exchange}' is a durable topic exchange, as the sidecar declares it.", broker));
        }
        else if (mismatch.StartsWith("ACCESS_REFUSED", StringComparison.Ordinal))
        {
            checks.Add(new(null, "ExchangeType", RabbitMqCheckStatus.Warn,
                $"Not checked: user '{options.UserName}' may not declare '{exchange}', and AMQP cannot read an exchange's type otherwise.", broker));
        }
        else
        {
            checks.Add(new(null, "ExchangeType", RabbitMqCheckStatus.Fail,
                $"Exchange '{exchange}' is not a durable topic exchange ({mismatch}); the sidecar cannot declare it and fails to start.", broker));
        }

        return true;
    }

    private static async Task CheckActorAsync(IConnection connection, RabbitMqMeshOptions options, string actor, bool exchangeOk, List<RabbitMqCheck> checks, CancellationToken cancellationToken)
    {
        var queue = RabbitMqNames.QueueOf(options.Namespace, actor);
        var address = RabbitMqTransport.AddressOf(options, actor);
        QueueDeclareOk? found = null;
        var missing = await TryAsync(connection, async channel => found = await channel.QueueDeclarePassiveAsync(queue, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            checks.Add(new(actor, "QueueExists", RabbitMqCheckStatus.Fail,
                $"No queue '{queue}' ({missing}): actor '{actor}' has never started in namespace '{options.Namespace}', or the namespace is wrong.", address));
            return;
        }

        checks.Add(new(actor, "QueueExists", RabbitMqCheckStatus.Pass, $"Queue '{queue}' exists.", address));
        if (found.ConsumerCount == 0)
        {
            checks.Add(new(actor, "Consumers", RabbitMqCheckStatus.Fail,
                $"Queue '{queue}' has no consumer: actor '{actor}' is not running (its sidecar consumes once its runtime is ready).", address));
        }
        else
        {
            checks.Add(new(actor, "Consumers", RabbitMqCheckStatus.Pass, $"Queue '{queue}' has {found.ConsumerCount} consumer(s).", address));
        }

        var backlog = found.MessageCount;
        checks.Add(new(actor, "Backlog", backlog > 0 && found.ConsumerCount == 0 ? RabbitMqCheckStatus.Warn : RabbitMqCheckStatus.Pass,
            $"{backlog} message(s) ready in '{queue}'.", address));
        checks.Add(new(actor, "Binding", RabbitMqCheckStatus.Pass,
            exchangeOk
                ? $"Not observable over AMQP: the sidecar binds '{queue}' to '{options.Exchange}' with routing key '{RabbitMqNames.RoutingKeyOf(actor)}' (rabbitmqctl list_bindings shows it)."
                : "Not checked: the exchange is missing.", address));
    }

    /// <summary>Runs one operation on a channel of its own (a failed passive declare closes its channel); returns the broker's reply text on failure, null on success.</summary>
    private static async Task<string?> TryAsync(IConnection connection, Func<IChannel, Task> operation, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            await operation(channel).ConfigureAwait(false);
            return null;
        }
        catch (global::RabbitMQ.Client.Exceptions.OperationInterruptedException error) when (error.ShutdownReason is { } reason)
        {
            return reason.ReplyText;
        }
    }
}
