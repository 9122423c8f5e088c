using System.Collections;
using System.Globalization;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// Reads a RabbitMQ mesh from the sidecar's environment variables: ASYA_TRANSPORT=rabbitmq,
/// ASYA_RABBITMQ_URL or ASYA_RABBITMQ_HOST/_PORT/_USERNAME/_PASSWORD (defaults localhost, 5672, guest,
/// guest, vhost "/"), ASYA_RABBITMQ_EXCHANGE (default asya), ASYA_RABBITMQ_PREFETCH (default 1) and
/// ASYA_NAMESPACE (required).
/// </summary>
public static class RabbitMqEnvironment
{
    /// <summary>Whether <paramref name="variables"/> select the RabbitMQ transport (ASYA_TRANSPORT=rabbitmq).</summary>
    public static bool IsSelected(IDictionary variables) =>
        string.Equals(Get(variables, "ASYA_TRANSPORT"), "rabbitmq", StringComparison.OrdinalIgnoreCase);

    /// <summary>The mesh the variables describe; throws InvalidMeshConfiguration when they are incomplete.</summary>
    public static RabbitMqMeshOptions Read(IDictionary variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var (uri, user, password) = ReadBroker(variables);
        var prefetch = (ushort)1;
        var prefetchText = Get(variables, "ASYA_RABBITMQ_PREFETCH");
        // Like the sidecar, a value that is not a number falls back to the default.
        if (prefetchText is not null && ushort.TryParse(prefetchText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0)
        {
            prefetch = parsed;
        }

        return new RabbitMqMeshOptions
        {
            BrokerUri = uri,
            UserName = user,
            Password = password,
            Namespace = Get(variables, "ASYA_NAMESPACE") ?? string.Empty,
            Exchange = Get(variables, "ASYA_RABBITMQ_EXCHANGE") ?? RabbitMqMeshOptions.DefaultExchange,
            Prefetch = prefetch,
        }.Validate();
    }

    /// <summary>The process environment's mesh.</summary>
    public static RabbitMqMeshOptions ReadProcess() => Read(Environment.GetEnvironmentVariables());

    private static (Uri Uri, string User, string Password) ReadBroker(IDictionary variables)
    {
        var url = Get(variables, "ASYA_RABBITMQ_URL");
        if (url is not null)
        {
            return RabbitMqUrl.Split(url);
        }

        var host = Get(variables, "ASYA_RABBITMQ_HOST") ?? "localhost";
        var portText = Get(variables, "ASYA_RABBITMQ_PORT") ?? "5672";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw RabbitMqMeshOptions.Invalid("ASYA_RABBITMQ_PORT is not a port number");
        }

        var builder = new UriBuilder("amqp", host, port, "/");
        return (builder.Uri, Get(variables, "ASYA_RABBITMQ_USERNAME") ?? "guest", Get(variables, "ASYA_RABBITMQ_PASSWORD") ?? "guest");
    }

    private static string? Get(IDictionary variables, string name) =>
        variables[name] is string value && value.Length > 0 ? value : null;
}
