using System.Collections;
using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Sends messages to an actor and returns once each is acknowledged. Pipeline inputs are sent one by one,
/// in order; a failure for one is a non-terminating error and the rest go on.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "AsyaMessage", HelpUri = HelpLinks.Pages + "Send-AsyaMessage.md", DefaultParameterSetName = PayloadSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaDelivery))]
public sealed class SendAsyaMessageCommand : SendingMeshCmdlet
{
    private const string PayloadSet = "Payload";
    private const string EnvelopeSet = "Envelope";
    private const string BodySet = "Body";
    private const string TextSet = "Text";
    private const string InputObjectSet = "InputObject";

    private readonly Dictionary<IAsyaTransport, IAsyaSender> _senders = new();
    private ConnectRetryLog? _retries;
    private string? _givenMeshPath;
    private ProgressReport? _progress;
    private (IAsyaTransport Transport, string Actor, string Text)? _target;
    private int _sent;
    private object? _payload;
    private AsyaMessage? _inputObject;
    private AsyaEnvelopeWriter? _envelopes;

    /// <summary>The actor to send to. With -Route, the route's first actor is used instead.</summary>
    /// <remarks>
    /// Never from the pipeline by property name: a payload's own 'actor' field is data and must not redirect
    /// the send. A replayed message goes back to the actor it was received as unless -Actor is given.
    /// </remarks>
    [Parameter(Position = 0, ParameterSetName = PayloadSet)]
    [Parameter(Position = 0, ParameterSetName = EnvelopeSet)]
    [Parameter(Position = 0, ParameterSetName = InputObjectSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = BodySet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = TextSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? Actor { get; set; }

    /// <summary>The actors the envelope visits, in order: the first is route.curr, the rest route.next.</summary>
    [Parameter(ParameterSetName = PayloadSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string[]? Route { get; set; }

    /// <summary>The payload: any PowerShell value, serialised like ConvertTo-Json but never truncated.</summary>
    [Parameter(Position = 1, ParameterSetName = PayloadSet, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public object? Payload
    {
        get => _payload;
        set
        {
            _payload = value;
            ReplayInto(Unwrap(value) as AsyaMessage ?? (Unwrap(value) as AsyaActorResult)?.Kept);
        }
    }

    /// <summary>
    /// How deep to write the payload: what is nested deeper is written as text, as ConvertTo-Json -Depth does.
    /// Without it nothing is cut, and nesting deeper than 100 levels (a reference cycle) is an error.
    /// </summary>
    [Parameter(ParameterSetName = PayloadSet)]
    [ValidateRange(1, PowerShellJson.MaxDepth)]
    public int Depth { get; set; }

    /// <summary>The envelope id; a new GUID when omitted. Never from a payload's own 'id' field.</summary>
    [Parameter(ParameterSetName = PayloadSet)]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>The parent envelope's id (for fan-out children).</summary>
    [Parameter(ParameterSetName = PayloadSet)]
    [ValidateNotNullOrEmpty]
    public string? ParentId { get; set; }

    /// <summary>Envelope headers, for example @{ traceparent = '00-...' }.</summary>
    [Parameter(ParameterSetName = PayloadSet)]
    public Hashtable? Header { get; set; }

    /// <summary>A whole envelope: an object from New-AsyaEnvelope, JSON text, or any object shaped like one. Sent to route.curr unless -Actor is given.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EnvelopeSet)]
    [ValidateNotNull]
    public object? Envelope { get; set; }

    /// <summary>A raw frame body, sent byte for byte.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BodySet)]
    [ValidateNotNull]
    [AllowEmptyCollection]
    public byte[]? Body { get; set; }

    /// <summary>A raw frame body as text, sent as UTF-8.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet)]
    [ValidateNotNull]
    [AllowEmptyString]
    public string? Text { get; set; }

    /// <summary>A received message to send again, byte for byte (to -Actor, else to the actor it was received as).</summary>
    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AsyaMessage? InputObject
    {
        get => _inputObject;
        set
        {
            _inputObject = value;
            ReplayInto(value);
        }
    }

    /// <summary>The mesh directory; default ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh.</summary>
    /// <remarks>
    /// A replayed message goes back into the mesh it was received in unless -MeshPath is given; that comes
    /// from the message itself, never from a property of whatever object is piped in.
    /// </remarks>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public new string? MeshPath
    {
        get => base.MeshPath;
        set
        {
            _givenMeshPath = value;
            base.MeshPath = value;
        }
    }

    /// <summary>Seconds to wait for the ack once connected; 0 waits forever like the sidecar.</summary>
    [Parameter]
    [ValidateRange(0, 86400)]
    public double TimeoutSec { get; set; } = 30;

    /// <summary>Return an AsyaDelivery for each message sent.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord(IAsyaTransport transport)
    {
        string actor;
        string? id;
        byte[] body;
        try
        {
            (actor, id, body) = BuildMessage();
        }
        catch (Exception error) when (error is ArgumentException or AsyaTransportException)
        {
            WriteInvalidMessage(error);
            return;
        }

        try
        {
            // Inside the try: an actor name no address can hold (a NUL) is this item's InvalidActorName error.
            if (!ShouldProcess(TargetOf(transport, actor), $"Send {body.Length}-byte message"))
            {
                return;
            }

            if (DiagnosticLog.DebugOn(this))
            {
                WriteDebug(FormattableString.Invariant(
                    $"Sending {body.Length} bytes ({(id is null ? "a raw body" : $"envelope {id}")}) to '{actor}' at {transport.AddressOf(actor)}: up to {RetryCount} connect attempts {RetryInterval.TotalMilliseconds:0} ms apart, ack timeout {(TimeoutSec == 0 ? "none" : $"{TimeoutSec} s")}."));
            }

            var result = Send(SenderFor(transport), actor, body);
            if (DiagnosticLog.VerboseOn(this))
            {
                WriteVerbose($"Delivered {result.BodyLength} bytes to {result.Address} after {result.Attempts} attempt{(result.Attempts == 1 ? string.Empty : "s")} in {result.Elapsed.TotalMilliseconds:0.0} ms.");
            }

            if (PassThru)
            {
                WriteObject(new AsyaDelivery(actor, id, result.BodyLength, result.Attempts, result.Elapsed, result.Address));
            }

            _sent++;
            _progress ??= new ProgressReport(this, "Sending messages");
            if (_progress.IsDue)
            {
                _progress.Update($"{_sent} message(s) sent, the last to '{actor}'");
            }
        }
        catch (AsyaTransportException error)
        {
            WriteAsyaError(error, actor);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => _progress?.Complete();

    /// <summary>What this record sends: the actor, the envelope id when there is one, and the frame body.</summary>
    private (string Actor, string? Id, byte[] Body) BuildMessage()
    {
        // A received message or an envelope can also arrive through -Payload when PowerShell binds the
        // pipeline by value there first; it is a replay, not a payload to wrap in a new envelope.
        var replay = InputObject ?? Unwrap(Payload) as AsyaMessage ?? KeptBy(Unwrap(Payload) as AsyaActorResult);
        if (replay is not null && ParameterSetName is PayloadSet or InputObjectSet)
        {
            var envelopeId = replay.Envelope?.Id;
            return (Actor ?? replay.Actor, envelopeId, replay.TransportMessage.Body.ToArray());
        }

        switch (ParameterSetName)
        {
            case BodySet:
                return (Actor!, null, Body!);
            case TextSet:
                return (Actor!, null, System.Text.Encoding.UTF8.GetBytes(Text!));
            case EnvelopeSet:
                return FromEnvelope(EnvelopeInput.Read(Envelope!));
            default:
                switch (Unwrap(Payload))
                {
                    case AsyaEnvelope piped:
                        return FromEnvelope(piped);
                    case AsyaEnvelopeDraft draft:
                        return FromEnvelope(draft.ToEnvelope());
                }

                _envelopes ??= new AsyaEnvelopeWriter();
                var written = EnvelopeInput.Write(_envelopes, Actor, Route, Payload, Id, ParentId, Header, Depth > 0 ? Depth : null);
                return (written.Actor, written.Id, written.Body);
        }
    }

    private (string Actor, string? Id, byte[] Body) FromEnvelope(AsyaEnvelope envelope)
    {
        var target = Actor ?? (envelope.Route.IsDone ? null : envelope.Route.Curr)
            ?? throw new ArgumentException("The envelope's route is done (route.curr is empty), so it has no actor to go to. Give -Actor.");
        return (target, envelope.Id, envelope.ToUtf8Bytes());
    }

    // A send to a prompt receiver is over before SendAsync returns (the socket sender works inline): then there is
    // nothing to wait for and no task to make. Otherwise the pipeline thread waits, writing retries as they come.
    private AsyaSendResult Send(IAsyaSender sender, string actor, byte[] body)
    {
        try
        {
            var sending = sender.SendAsync(actor, body, StopToken);
            return sending.IsCompletedSuccessfully ? sending.Result : _retries!.Wait(sending.AsTask());
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    // "actor (address)" for ShouldProcess, kept while the records go to the same actor.
    private string TargetOf(IAsyaTransport transport, string actor)
    {
        if (_target is not { } last || last.Transport != transport || last.Actor != actor)
        {
            _target = last = (transport, actor, $"{actor} ({transport.AddressOf(actor)})");
        }

        return last.Text;
    }

    private IAsyaSender SenderFor(IAsyaTransport transport)
    {
        if (!_senders.TryGetValue(transport, out var sender))
        {
            _retries ??= new ConnectRetryLog(this);
            sender = transport.CreateSender(new SendOptions
            {
                ConnectRetrying = _retries.Add,
                ConnectAttempts = RetryCount,
                ConnectRetryInterval = RetryInterval,
                AckTimeout = TimeoutSec == 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(TimeoutSec),
            });
            _senders[transport] = sender;
        }

        return sender;
    }

    private void WriteInvalidMessage(Exception error)
    {
        if (error is AsyaTransportException asya)
        {
            WriteAsyaError(asya, Actor);
        }
        else
        {
            WriteError(AsyaErrors.Record(error, "InvalidMessage", ErrorCategory.InvalidArgument, Payload ?? Actor,
                error is PayloadTooDeepException ? PayloadTooDeepException.RecommendedAction : null));
        }
    }

    // A mock actor's result carries the message it kept when nothing could take it: that is what is resent.
    private static AsyaMessage? KeptBy(AsyaActorResult? result) => result is null
        ? null
        : result.Kept ?? throw new ArgumentException(
            $"The actor result for envelope {result.Id} ({result.Outcome}) kept no message: it went to {(result.SentTo.Length == 0 ? "no one" : string.Join(", ", result.SentTo))}, so there is nothing to send again.");
    // Pipeline input is bound after the command line, so a -MeshPath given there is already known here.
    private void ReplayInto(AsyaMessage? replay) => base.MeshPath = _givenMeshPath ?? replay?.MeshPath;

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var sender in _senders.Values)
            {
                sender.Dispose();
            }

            _senders.Clear();
            _envelopes?.Dispose();
        }

        base.Dispose(disposing);
    }
}
