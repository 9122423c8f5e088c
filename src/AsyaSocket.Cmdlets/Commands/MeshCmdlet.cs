using System.Management.Automation;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// The base of the cmdlets that reach a mesh (PSOpenAD's session base is the model): it declares the
/// connection parameters once, resolves the transport for each record (one per mesh, reused across
/// records), and owns what every such cmdlet does with it: tracking receivers for the module's lifetime
/// and starting jobs. A cmdlet implements <see cref="ProcessRecord(IAsyaTransport)"/> and never builds a transport.
/// </summary>
public abstract class MeshCmdlet : AsyaCmdlet
{
    private readonly Dictionary<MeshTarget, IAsyaTransport> _transports = new();
    private (string Input, string ProviderPath)? _resolvedMeshPath;

    /// <summary>The mesh directory; default ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh.</summary>
    /// <remarks>
    /// A cmdlet that binds it differently (from the pipeline, in some parameter sets only) redeclares it with
    /// <c>new</c> over this property, changing only its binding; PowerShell uses the most derived declaration.
    /// </remarks>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MeshPath { get; set; }

    /// <summary>
    /// The mesh to reach (from Connect-AsyaMesh or Get-AsyaMesh): a socket mesh or a RabbitMQ mesh. Without it and
    /// -MeshPath: the session's Connect-AsyaMesh, else the sidecar's environment (ASYA_TRANSPORT=rabbitmq), else the socket default.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public AsyaMeshConnection? Mesh { get; set; }

    /// <summary>Socket-level listener settings this cmdlet asks for (take a name over, a file mode); none by default.</summary>
    private protected virtual ListenerSettings ListenerSettings => ListenerSettings.None;

    /// <summary>What this record reaches: the connection parameters as bound now (they may come from the pipeline).</summary>
    private protected MeshTarget Target => MeshTarget.For(
        MeshSession.Choose(Mesh, string.IsNullOrEmpty(MeshPath) ? null : ProviderPathOf(MeshPath)),
        ListenerSettings);

    // Resolving a PowerShell path validates the drives (PowerShell reads /proc/self/mountinfo each time): about 40%
    // of a Send-AsyaMessage pipeline's time (bench/README.md). An absolute path resolves the same for every record,
    // so it is resolved once; a relative one again per record, since the current location may change in between.
    private string ProviderPathOf(string meshPath)
    {
        if (_resolvedMeshPath is { } last && string.Equals(last.Input, meshPath, StringComparison.Ordinal))
        {
            return last.ProviderPath;
        }

        var providerPath = GetUnresolvedProviderPathFromPSPath(meshPath);
        if (meshPath.StartsWith('/'))
        {
            _resolvedMeshPath = (meshPath, providerPath);
        }

        return providerPath;
    }

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        MeshTarget target;
        try
        {
            target = Target;
        }
        catch (AsyaTransportException error)
        {
            // An incomplete mesh configuration (the environment's) stops the command: no record could succeed.
            ThrowAsyaError(error, null);
            return;
        }

        if (!_transports.TryGetValue(target, out var transport))
        {
            transport = TransportFactory.Open(target);
            _transports[target] = transport;
        }

        ProcessRecord(transport);
    }

    /// <summary>The cmdlet's work for one record, on the transport its connection parameters resolve to.</summary>
    protected abstract void ProcessRecord(IAsyaTransport transport);

    /// <summary>Listens as <paramref name="actor"/>, tracked so module removal, exit and signals stop it too.</summary>
    /// <remarks>A start that waits (a broker being retried) ends when the command is stopped (Ctrl+C).</remarks>
    private protected IAsyaReceiver Listen(IAsyaTransport transport, string actor, ListenOptions? options = null)
    {
        try
        {
            return ModuleLifetime.Open(() => transport.Listen(actor, options, StopToken));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>What a failure to start listening is about: the mesh when it does not exist, else <paramref name="item"/>.</summary>
    private protected static object StartupTarget(AsyaTransportException error, IAsyaTransport transport, object item) =>
        error.Kind == AsyaErrorKind.MeshNotFound ? transport.Mesh : item;

    /// <summary>Stops the command when a running listener (or actor) already has <paramref name="name"/>.</summary>
    private protected void ThrowIfListenerNameInUse(string name, string what, string recommendedAction)
    {
        if (AsyaListenerRegistry.Contains(name))
        {
            ThrowTerminatingError(AsyaErrors.Record(
                new InvalidOperationException($"A {what} named '{name}' is already running."),
                "ListenerNameInUse", ErrorCategory.ResourceExists, name, recommendedAction));
        }
    }

    /// <summary>Registers <paramref name="job"/> with the job repository and the listener registry, starts it, and writes it.</summary>
    private protected void StartJob(AsyaListenerJob job)
    {
        JobRepository.Add(job);
        AsyaListenerRegistry.Add(job);
        job.StartJob();
        WriteObject(job);
    }

    /// <summary>Receivers the cmdlet could not hand to a job are stopped, so no socket is left behind.</summary>
    private protected static void StopAll(IEnumerable<IAsyaReceiver> receivers)
    {
        foreach (var receiver in receivers)
        {
            receiver.Dispose();
        }
    }
}
