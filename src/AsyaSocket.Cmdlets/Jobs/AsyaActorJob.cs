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
/// <remarks>
/// Custody: every envelope the listener acknowledged ends in exactly one place: at its next hop, the sink
/// or the sump, or, when it cannot go anywhere (the actor stopped before or while processing or sending it,
/// or neither its destination nor the sump can take it), kept whole in its result. A stop drains the
/// listener's buffer through here, so the envelopes still waiting are kept too.
/// </remarks>
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
        var id = envelope?.Id ?? rejection?.Envelope.Id;
        if (_stopping.IsCancellationRequested)
        {
            Keep(message, id, "Stopped", Array.Empty<string>(), clock, "stopped before it was processed");
            return;
        }

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
                dispatches = _rules.Succeeded(envelope, await _processor.ProcessAsync(envelope, _stopping.Token).ConfigureAwait(false));
                outcome = "Succeeded";
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                Keep(message, id, "Stopped", Array.Empty<string>(), clock, "stopped while the script ran");
                return;
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
            var delivery = await DeliverAsync(dispatch).ConfigureAwait(false);
            if (delivery.SentTo is not null)
            {
                sentTo.Add(delivery.SentTo);
            }

            if (delivery.Error is null)
            {
                continue;
            }

            error = delivery.Error;
            if (delivery.Stopped || delivery.SentTo is null)
            {
                // Nowhere took it: the actor keeps the envelope it acknowledged, whole, in its result.
                Keep(message, id, delivery.Stopped ? "Stopped" : "SendFailed", sentTo.ToArray(), clock, error);
                return;
            }

            outcome = "SendFailed";
        }

        // Every result is with its next actor, the sink or the sump (on a broker: confirmed), so the inbound message
        // may go now. Under an explicit ack policy (a broker's actor) this is its ack; a message not passed on stays
        // unacknowledged and goes back to its queue when the actor stops or dies. Under the other policies it was acked already.
        try
        {
            await _receiver.AcknowledgeAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AsyaTransportException failure)
        {
            // The connection it came on was lost: the broker delivers it again (at least once).
            Error.Add(AsyaErrors.Record(failure, _rules.Name));
        }

        AddOutput(new AsyaActorResult(_rules.Name, id, outcome, sentTo.ToArray(), clock.Elapsed, error, meshPath: MeshPath));
    }

    // Sends one envelope on; a destination that stays missing gets it routed to the sump with the error, as a sidecar does.
    private async ValueTask<Delivery> DeliverAsync(ActorDispatch dispatch)
    {
        var failure = await TrySendAsync(dispatch).ConfigureAwait(false);
        if (failure is null)
        {
            return new Delivery(dispatch.Actor, null, false);
        }

        if (failure.Stopped || string.Equals(dispatch.Actor, _rules.Sump, StringComparison.Ordinal))
        {
            return new Delivery(null, failure.Message, failure.Stopped);
        }

        var toSump = _rules.Undeliverable(dispatch.Envelope, dispatch.Actor, failure.Message);
        var sumpFailure = await TrySendAsync(toSump).ConfigureAwait(false);
        return sumpFailure is null
            ? new Delivery(_rules.Sump, failure.Message, false)
            : new Delivery(null, $"{failure.Message}; and the sump: {sumpFailure.Message}", sumpFailure.Stopped);
    }

    private async ValueTask<SendFailure?> TrySendAsync(ActorDispatch dispatch)
    {
        try
        {
            await _sender.SendAsync(dispatch.Actor, dispatch.Envelope.ToUtf8Bytes(), _stopping.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Error.Add(AsyaErrors.Record(
                new OperationCanceledException($"The actor stopped before envelope {dispatch.Envelope.Id} could be sent to '{dispatch.Actor}'; it is kept in the job's output: pipe Receive-Job to Send-AsyaMessage to send it again."),
                "ActorStopped", ErrorCategory.OperationStopped, dispatch.Actor));
            return new SendFailure($"stopped before sending to '{dispatch.Actor}'", true);
        }
        catch (AsyaTransportException failure)
        {
            Error.Add(AsyaErrors.Record(failure, dispatch.Actor));
            return new SendFailure(failure.Message, false);
        }
    }

    private void Keep(AsyaReceivedMessage message, string? id, string outcome, string[] sentTo, Stopwatch clock, string error) =>
        AddOutput(new AsyaActorResult(_rules.Name, id, outcome, sentTo, clock.Elapsed, error, new AsyaMessage(message, MeshPath)));

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

    private sealed record SendFailure(string Message, bool Stopped);

    /// <summary>Where an envelope went (null: nowhere), and the error on the way.</summary>
    private readonly record struct Delivery(string? SentTo, string? Error, bool Stopped);
}
