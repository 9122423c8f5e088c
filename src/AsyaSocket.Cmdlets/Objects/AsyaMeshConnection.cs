using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// A mesh the cmdlets can reach: a socket mesh directory, or an Asya mesh on RabbitMQ (broker, vhost, namespace).
/// Returned by Connect-AsyaMesh and Get-AsyaMesh, and accepted by every cmdlet's -Mesh. It never holds a
/// password where it can be shown: no property, ToString or format view has it.
/// </summary>
public sealed class AsyaMeshConnection
{
    internal AsyaMeshConnection(string meshPath, string source)
    {
        Transport = "socket";
        MeshPath = meshPath;
        Mesh = meshPath;
        Source = source;
    }

    internal AsyaMeshConnection(BrokerMesh broker, string source)
    {
        Transport = "rabbitmq";
        Broker = broker;
        Uri = broker.Broker.ToString();
        Namespace = broker.Namespace;
        UserName = broker.UserName;
        Exchange = broker.Exchange;
        PassiveOnly = broker.PassiveOnly;
        Mesh = broker.ToString();
        Source = source;
    }

    /// <summary>socket or rabbitmq.</summary>
    public string Transport { get; }

    /// <summary>The mesh as shown everywhere else (the mesh directory; the broker and namespace).</summary>
    public string Mesh { get; }

    /// <summary>The socket mesh directory; null on RabbitMQ.</summary>
    public string? MeshPath { get; }

    /// <summary>The broker without credentials (amqp://host:port/vhost); null for sockets.</summary>
    public string? Uri { get; }

    /// <summary>The Asya namespace: queues are asya-&lt;namespace&gt;-&lt;actor&gt;.</summary>
    public string? Namespace { get; }

    /// <summary>The broker user.</summary>
    public string? UserName { get; }

    /// <summary>The exchange the sidecars publish to (asya).</summary>
    public string? Exchange { get; }

    /// <summary>Whether sends only check the exchange and queues instead of declaring them.</summary>
    public bool PassiveOnly { get; }

    /// <summary>Where the choice came from: Connect-AsyaMesh, Environment (the sidecar's variables), or Default.</summary>
    public string Source { get; }

    /// <summary>When Connect-AsyaMesh made this connection; null for the environment or the default.</summary>
    public DateTimeOffset? ConnectedAt { get; internal init; }

    internal BrokerMesh? Broker { get; }

    /// <summary>The mesh, without credentials.</summary>
    public override string ToString() => $"{Transport} {Mesh}";
}
