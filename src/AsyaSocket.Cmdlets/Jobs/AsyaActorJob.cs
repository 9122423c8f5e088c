using System.Diagnostics;
using System.Management.Automation;
using AsyaSocket.Core.Actors;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// A mock actor: a listener job that behaves like an Asya sidecar with a runtime. Each envelope for it is
/// run through a script block and sent on along its route (or to the sink); route mismatches and
/// unparsable bodies go to the sump, script failures to the sink as failed. The output is one
/// <see cref="AsyaActorResult"/> per message.
/// </summary>
public sealed class AsyaActorJob : AsyaListenerJob
{
    /// <summary>The PSJobTypeName of actor jobs.</summary>
    public const string ActorJobTypeName = "AsyaActor";

    private readonly ActorRules _rules;
    private readonly ScriptProcessor _processor;
    private readonly IAsyaSender _sender;
    private readonly IAsyaReceiver _receiver;
    private readonly CancellationTokenSource _stopping = new();

    internal AsyaActorJob(string command, string name, IAsyaReceiver receiver, string meshPath, ActorRules rules, ScriptProcessor processor, IAsyaSender sender)
        : base(command, name, new[] { receiver }, meshPath, ActorJobTypeName)
    {
        _rules = rules;
        _processor = processor;
        _receiver = receiver;
        _sender = sender;
    }

    /// <summary>Where finished envelopes go.</summary>
    public string SinkActor => _rules.Sink;

    /// <summary>Where infrastructure errors go.</summary>
    public string SumpActor => _rules.Sump;

    private protected override async ValueTask HandleAsync(AsyaReceivedMessage message)
    {
        var clock = Stopwatch.StartNew();
        var envelope = _rules.Accept(message.Body.Span, out var rejection);
        string outcome;
        string? error = null;
        IReadOnlyList<ActorDispatch> dispatches;
        if (envelope is null)
        {
            outcome = rejection!.Envelope.Status!.Reason!;
            error = rejection.Envelope.Status.Error?.Message;
            dispatches = new[] { rejection };
        }
        else
        {
            try
            {
                dispatches = _rules.Succeeded(envelope, _processor.Process(envelope));
                outcome = "Succeeded";
            }
            catch (Exception failure)
            {
                var cause = failure is RuntimeException { ErrorRecord.Exception: { } inner } ? inner : failure;
                dispatches = new[] { _rules.Failed(envelope, cause.Message, cause.GetType().Name) };
                outcome = "Failed";
                error = cause.Message;
            }
        }

        var sentTo = new List<string>();
        foreach (var dispatch in dispatches)
        {
            try
            {
                await _sender.SendAsync(dispatch.Actor, dispatch.Envelope.ToUtf8Bytes(), _stopping.Token).ConfigureAwait(false);
                sentTo.Add(dispatch.Actor);
            }
            catch (OperationCanceledException)
            {
                // Stopped while the next actor was not reachable: like a sidecar that stops, the envelope goes no further.
                Error.Add(AsyaErrors.Record(
                    new OperationCanceledException($"The actor stopped before envelope {dispatch.Envelope.Id} could be sent to '{dispatch.Actor}'."),
                    "ActorStopped", ErrorCategory.OperationStopped, dispatch.Actor));
                outcome = "SendFailed";
                error = $"stopped before sending to '{dispatch.Actor}'";
            }
            catch (AsyaTransportException failure)
            {
                Error.Add(AsyaErrors.Record(failure, dispatch.Actor));
                outcome = "SendFailed";
                error = failure.Message;
            }
        }

        if (sentTo.Count == dispatches.Count)
        {
            // Every result is with its next actor (on a broker: confirmed), so the inbound message may go now. Under
            // an explicit ack policy (a broker's actor) this is its ack; a message not fully sent stays unacknowledged
            // and goes back to its queue when the actor stops or dies. Under the other policies it was acked already.
            try
            {
                await _receiver.AcknowledgeAsync(message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AsyaTransportException failure)
            {
                // The connection it came on was lost: the broker delivers it again (at least once).
                Error.Add(AsyaErrors.Record(failure, _rules.Name));
            }
        }

        Output.Add(PSObject.AsPSObject(new AsyaActorResult(_rules.Name, envelope?.Id ?? rejection?.Envelope.Id, outcome, sentTo.ToArray(), clock.Elapsed, error)));
    }

    private protected override void OnStopping()
    {
        _stopping.Cancel();
        _processor.Stop();
    }

    private protected override void OnDisposed()
    {
        _processor.Dispose();
        _sender.Dispose();
        _stopping.Dispose();
    }
}
