using System.Management.Automation;
using AsyaSocket.Core.Errors;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Chooses the mesh every cmdlet of this session reaches (until Disconnect-AsyaMesh): an Asya mesh on RabbitMQ
/// (-Uri, -Namespace, -Credential), connected now so wrong credentials or an unreachable broker show at once, or a
/// socket mesh directory (-Path). A cmdlet's own -Mesh or -MeshPath still wins. Writes the connection.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "AsyaMesh", DefaultParameterSetName = BrokerSet, HelpUri = HelpLinks.Pages + "Connect-AsyaMesh.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaMeshConnection))]
public sealed class ConnectAsyaMeshCommand : AsyaCmdlet
{
    private const string BrokerSet = "Broker";
    private const string SocketSet = "Socket";

    /// <summary>The broker: amqp://host[:port]/[vhost] or amqps://...; user info in it is used when -Credential is not given.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BrokerSet)]
    [ValidateNotNullOrEmpty]
    public string? Uri { get; set; }

    /// <summary>The Asya namespace (queues asya-&lt;namespace&gt;-&lt;actor&gt;); default ASYA_NAMESPACE.</summary>
    [Parameter(ParameterSetName = BrokerSet)]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The broker user and password; default the URI's user info, else ASYA_RABBITMQ_USERNAME/_PASSWORD, else guest/guest.</summary>
    [Parameter(ParameterSetName = BrokerSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>The sidecars' exchange; default ASYA_RABBITMQ_EXCHANGE, else asya.</summary>
    [Parameter(ParameterSetName = BrokerSet)]
    [ValidateNotNullOrEmpty]
    public string? Exchange { get; set; }

    /// <summary>Unacknowledged messages a mock actor holds at once (the sidecar's ASYA_RABBITMQ_PREFETCH); default 1.</summary>
    [Parameter(ParameterSetName = BrokerSet)]
    [ValidateRange(1, 65535)]
    public int Prefetch { get; set; }

    /// <summary>Only check that the exchange and queues exist; never declare them (for vhosts where this user may not).</summary>
    [Parameter(ParameterSetName = BrokerSet)]
    public SwitchParameter PassiveOnly { get; set; }

    /// <summary>A socket mesh directory instead of a broker.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SocketSet)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!ShouldProcess(ParameterSetName == SocketSet ? Path! : "the broker at the given URI", "Connect and use as this session's mesh"))
        {
            return;
        }

        AsyaMeshConnection connection;
        if (ParameterSetName == SocketSet)
        {
            var path = GetUnresolvedProviderPathFromPSPath(Path!);
            if (!Directory.Exists(path))
            {
                WriteWarning($"Mesh directory '{path}' does not exist yet; cmdlets fail with MeshDirectoryNotFound until it does.");
            }

            connection = new AsyaMeshConnection(path, "Connect-AsyaMesh") { ConnectedAt = DateTimeOffset.UtcNow };
        }
        else
        {
            connection = ConnectBroker();
        }

        MeshSession.Set(connection);
        WriteObject(connection);
    }

    private AsyaMeshConnection ConnectBroker()
    {
        BrokerMesh mesh;
        try
        {
            var credential = Credential?.GetNetworkCredential();
            mesh = RabbitMqBridge.FromUrl(
                Uri!,
                Namespace ?? Environment.GetEnvironmentVariable("ASYA_NAMESPACE") ?? string.Empty,
                credential?.UserName ?? Variable("ASYA_RABBITMQ_USERNAME"),
                credential?.Password ?? Variable("ASYA_RABBITMQ_PASSWORD"),
                Exchange ?? Variable("ASYA_RABBITMQ_EXCHANGE"),
                Prefetch > 0 ? (ushort)Prefetch : null,
                PassiveOnly);
        }
        catch (AsyaTransportException error)
        {
            ThrowAsyaError(error, null);
            throw;
        }

        WriteVerbose($"Connecting to {mesh} as '{mesh.UserName}'.");
        try
        {
            Await(token => new ValueTask(RabbitMqBridge.VerifyAsync(mesh, token)));
        }
        catch (AsyaTransportException error)
        {
            RabbitMqBridge.Close(mesh);
            ThrowAsyaError(error, mesh.ToString());
        }

        return new AsyaMeshConnection(mesh, "Connect-AsyaMesh") { ConnectedAt = DateTimeOffset.UtcNow };
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
