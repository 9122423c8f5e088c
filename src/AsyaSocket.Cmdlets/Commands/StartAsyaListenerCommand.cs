using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Starts a background listener for one or more actor names and returns it as a job: Receive-Job (or
/// Receive-AsyaMessage -Listener) returns the AsyaMessage objects it collected; Stop-Job stops it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AsyaListener", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaListenerJob))]
public sealed class StartAsyaListenerCommand : AsyaCmdlet
{
    /// <summary>The actor names to listen as, each at &lt;mesh&gt;/&lt;actor&gt;.sock.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string[] Actor { get; set; } = Array.Empty<string>();

    /// <summary>The job's name; default: the actor names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The mesh directory; default ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MeshPath { get; set; }

    /// <summary>Take the names over even when live listeners own them.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Octal mode for the socket files, for example 0666.</summary>
    [Parameter]
    [ValidatePattern(SocketModeParser.Pattern)]
    public string? SocketMode { get; set; }

    /// <summary>Messages held per actor before acks stop and senders wait.</summary>
    [Parameter]
    [ValidateRange(1, 1000000)]
    public int BufferSize { get; set; } = 1024;

    /// <summary>
    /// MiB of message bodies the job holds at most, uncollected output included, before acks stop and senders
    /// wait: half for the job's output, the rest for the listeners' buffers and frames still arriving.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 1048576)]
    public int MaxBufferMB { get; set; } = DefaultMaxBufferMB;

    /// <summary>The default of -MaxBufferMB.</summary>
    public const int DefaultMaxBufferMB = 256;

    // Half of -MaxBufferMB for the output; the listeners' buffers and frames in flight share the other half.
    private long OutputBytes => MaxBufferMB * 1024L * 1024 / 2;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var name = Name ?? string.Join(",", Actor);
        if (AsyaListenerRegistry.Contains(name))
        {
            ThrowTerminatingError(AsyaErrors.Record(
                new InvalidOperationException($"A listener named '{name}' is already running."),
                "ListenerNameInUse", ErrorCategory.ResourceExists, name,
                "Give -Name a new name, or stop the running listener with Stop-AsyaListener."));
        }

        var mesh = ResolveMesh(MeshPath);
        var transport = Transports.For(mesh);
        if (!ShouldProcess(string.Join(", ", Actor.Select(actor => AddressOrStop(transport, actor))), "Start listener"))
        {
            return;
        }

        var options = new SocketListenerOptions
        {
            BufferCapacity = BufferSize,
            Force = Force,
            SocketMode = SocketModeParser.Parse(SocketMode),
        };
        var receivers = new List<IAsyaReceiver>();
        try
        {
            foreach (var actor in Actor)
            {
                receivers.Add(ModuleLifetime.Track(transport.Listen(actor, options)));
            }
        }
        catch (AsyaTransportException error)
        {
            // One job is one unit: without every name bound it does not start at all.
            receivers.ForEach(receiver => receiver.Dispose());
            ThrowAsyaError(error, error.Address);
            return;
        }

        var job = new AsyaListenerJob(MyInvocation.Line, name, receivers, mesh.Path, outputCapacity: BufferSize, outputByteCapacity: OutputBytes);
        JobRepository.Add(job);
        AsyaListenerRegistry.Add(job);
        job.StartJob();
        WriteObject(job);
    }
}
