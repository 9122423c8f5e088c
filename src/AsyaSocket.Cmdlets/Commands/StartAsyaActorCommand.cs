using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Actors;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Starts a mock actor: a background job that listens as an actor and behaves like an Asya sidecar with a
/// runtime, running a script block for each envelope. Get-Job, Receive-Job, Stop-Job and Stop-AsyaListener work on it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AsyaActor", HelpUri = HelpLinks.Pages + "Start-AsyaActor.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaActorJob))]
public sealed class StartAsyaActorCommand : SendingMeshCmdlet
{
    /// <summary>
    /// The actor to run: it listens at &lt;mesh&gt;/&lt;actor&gt;.sock and processes envelopes whose route.curr is this
    /// name; the job has the same name. -Actor names an actor on every cmdlet; -Name, its old name here, is kept
    /// as an alias.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Name")]
    public string? Actor { get; set; }

    /// <summary>
    /// Runs for each envelope, with the envelope (payload as PowerShell objects) as its first argument and as $_.
    /// Its output is the new payload: nothing keeps the payload, several items fan out. A throw fails the envelope.
    /// It runs in a runspace of its own: the caller's variables are not visible.
    /// </summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public ScriptBlock? Process { get; set; }

    /// <summary>Where finished envelopes go; default ASYA_ACTOR_SINK, else x-sink.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? SinkActor { get; set; }

    /// <summary>Where route mismatches and unparsable bodies go; default ASYA_ACTOR_SUMP, else x-sump.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? SumpActor { get; set; }

    /// <summary>Take the name over even when a live listener owns it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Octal mode for the socket file, for example 0666.</summary>
    [Parameter]
    [ValidatePattern(SocketModeParser.Pattern)]
    public string? SocketMode { get; set; }

    private protected override ListenerSettings ListenerSettings => new(Force, SocketMode, Actor: true);

    /// <inheritdoc />
    /// <remarks>No parameter takes pipeline input, so this runs once.</remarks>
    protected override void ProcessRecord(IAsyaTransport transport)
    {
        ThrowIfListenerNameInUse(Actor!, "listener or actor", "Stop it first with Stop-AsyaListener.");
        if (!ShouldProcess(AddressOrStop(transport, Actor!), "Start actor"))
        {
            return;
        }

        IAsyaReceiver receiver;
        try
        {
            // Acked on receipt, as by a sidecar; the ones still waiting behind a running script when the actor
            // stops are kept whole in its results, so nothing acknowledged is dropped.
            receiver = Listen(transport, Actor!);
        }
        catch (AsyaTransportException error)
        {
            // Binding concerns this actor only: non-terminating, so -ErrorAction decides.
            WriteAsyaError(error, StartupTarget(error, transport, Actor!));
            return;
        }

        ScriptProcessor processor;
        try
        {
            processor = new ScriptProcessor(Process!);
        }
        catch (Exception)
        {
            receiver.Dispose();
            throw;
        }

        var rules = new ActorRules(Actor!, SinkActor, SumpActor);
        var sender = transport.CreateSender(new SendOptions
        {
            ConnectAttempts = RetryCount,
            ConnectRetryInterval = RetryInterval,
        });
        StartJob(new AsyaActorJob(MyInvocation.Line, Actor!, receiver, transport.Mesh, rules, processor, sender));
    }
}
