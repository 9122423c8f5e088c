using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Starts a background listener for one or more actor names and returns it as a job: Receive-Job (or
/// Receive-AsyaMessage -Listener) returns the AsyaMessage objects it collected; Stop-Job stops it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AsyaListener", HelpUri = HelpLinks.Pages + "Start-AsyaListener.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaListenerJob))]
public sealed class StartAsyaListenerCommand : MeshCmdlet
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

    /// <summary>On RabbitMQ: see copies of the actors' messages through private queues, taking nothing from a running actor. No effect on sockets.</summary>
    [Parameter]
    public SwitchParameter Tap { get; set; }

    /// <summary>
    /// MiB of message bodies the job holds at most, uncollected output included, before acks stop and senders
    /// wait: half for the job's output, the rest for the listeners' buffers and frames still arriving.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 1048576)]
    public int MaxBufferMB { get; set; } = DefaultMaxBufferMB;

    /// <summary>The default of -MaxBufferMB.</summary>
    public const int DefaultMaxBufferMB = 256;

    // -MaxBufferMB is shared out: half for the job's output, a quarter for the listeners' buffers and a
    // quarter for frames still arriving, split between the actors.
    private protected override ListenerSettings ListenerSettings => new(Force, SocketMode, Observe: Tap, BufferedBytes: ListenerShare, InFlightBytes: ListenerShare);

    private long OutputBytes => MaxBufferMB * 1024L * 1024 / 2;

    private long ListenerShare => Math.Max(1, MaxBufferMB * 1024L * 1024 / 4 / Math.Max(1, Actor.Length));

    /// <inheritdoc />
    /// <remarks>No parameter takes pipeline input, so this runs once.</remarks>
    protected override void ProcessRecord(IAsyaTransport transport)
    {
        var name = Name ?? string.Join(",", Actor);
        ThrowIfListenerNameInUse(name, "listener", "Give -Name a new name, or stop the running listener with Stop-AsyaListener.");
        if (!ShouldProcess(string.Join(", ", Actor.Select(actor => AddressOrStop(transport, actor))), "Start listener"))
        {
            return;
        }

        var options = new ListenOptions { BufferCapacity = BufferSize };
        var receivers = new List<IAsyaReceiver>();
        var binding = Actor[0];
        try
        {
            foreach (var actor in Actor)
            {
                binding = actor;
                receivers.Add(Listen(transport, actor, options));
            }
        }
        catch (AsyaTransportException error)
        {
            // One job is one unit: without every name bound it does not start at all. The failure concerns
            // this listener only, so it is non-terminating (-ErrorAction decides), naming what failed.
            StopAll(receivers);
            WriteAsyaError(error, StartupTarget(error, transport, error.Address ?? binding));
            return;
        }

        StartJob(new AsyaListenerJob(MyInvocation.Line, name, receivers, transport.Mesh, outputCapacity: BufferSize, outputByteCapacity: OutputBytes));
    }
}
