using System.Globalization;
using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Actors;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Sends an envelope along a route and waits for it at the sink (or the sump): returns the final envelope,
/// the path it took and the hop times it could see. The sink and sump are listened on for the duration,
/// so point the actors' ASYA_ACTOR_SINK / ASYA_ACTOR_SUMP at names nothing else listens on.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "AsyaFlow", HelpUri = HelpLinks.Pages + "Invoke-AsyaFlow.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaFlowResult))]
public sealed class InvokeAsyaFlowCommand : EnvelopeCmdlet
{
    private static readonly TimeSpan WaitSlice = TimeSpan.FromSeconds(1);
    private readonly List<IAsyaReceiver> _receivers = new();

    /// <summary>The actors in order: the first is route.curr, the rest route.next.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string[] Route { get; set; } = Array.Empty<string>();

    /// <summary>The sink name to listen as; default ASYA_ACTOR_SINK, else x-sink.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? SinkActor { get; set; }

    /// <summary>The sump name to listen as; default ASYA_ACTOR_SUMP, else x-sump.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? SumpActor { get; set; }

    /// <summary>Seconds to wait for the envelope at the sink or sump.</summary>
    [Parameter]
    [ValidateRange(0.001, 86400)]
    public double TimeoutSec { get; set; } = 30;

    /// <summary>Take the sink and sump names over even when live listeners own them.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    // On a broker the sink and sump are tapped (private queues that see copies), so a running sink actor keeps
    // every message; on sockets they are listened on, as there are no copies.
    private protected override ListenerSettings ListenerSettings => new(Force, null, Observe: true);

    /// <inheritdoc />
    protected override void ProcessRecord(IAsyaTransport transport)
    {
        var timeout = TimeSpan.FromSeconds(TimeoutSec);

        // -TimeoutSec bounds the whole flow, the first send's dial retries and ack included.
        var retries = new ConnectRetryLog(this);
        using var sender = transport.CreateSender(new SendOptions
        {
            ConnectRetrying = retries.Add,
            ConnectAttempts = Math.Max(1, (int)Math.Ceiling(timeout / new SendOptions().ConnectRetryInterval)),
            AckTimeout = timeout,
        });
        var rules = new ActorRules(Route[0], SinkActor, SumpActor);
        var envelope = CreateEnvelope(null, Route);
        if (!ShouldProcess($"{string.Join(" > ", Route)} (listening as {rules.Sink} and {rules.Sump})", "Run flow"))
        {
            return;
        }

        try
        {
            _receivers.Add(Listen(transport, rules.Sink));
            if (!string.Equals(rules.Sump, rules.Sink, StringComparison.Ordinal))
            {
                _receivers.Add(Listen(transport, rules.Sump));
            }

            var sentAt = DateTimeOffset.UtcNow;
            var delivery = Await(token => new ValueTask<AsyaSendResult>(retries.Wait(sender.SendAsync(Route[0], envelope.ToUtf8Bytes(), token).AsTask())));
            var ackedAt = sentAt + delivery.Elapsed;
            DiagnosticLog.Verbose(this, $"'{Route[0]}' acknowledged envelope {envelope.Id} after {delivery.Elapsed.TotalMilliseconds:0.0} ms.");

            var final = WaitForEnvelope(envelope.Id!, transport.Mesh, timeout - delivery.Elapsed);
            if (final is null)
            {
                WriteError(AsyaErrors.Record(
                    new TimeoutException($"Envelope {envelope.Id} did not reach '{rules.Sink}' or '{rules.Sump}' within {TimeoutSec} s. The last hop proven reached is '{Route[0]}', which acknowledged it at {ackedAt:HH:mm:ss.fff}."),
                    "FlowTimeout", ErrorCategory.OperationTimeout, envelope.Id,
                    $"Check '{Route[0]}' and the actors after it (Test-AsyaMesh; their logs), and that their ASYA_ACTOR_SINK / ASYA_ACTOR_SUMP are '{rules.Sink}' / '{rules.Sump}'."));
                return;
            }

            WriteObject(new AsyaFlowResult(final, sentAt, Hops(final, ackedAt)));
        }
        catch (AsyaTransportException error)
        {
            WriteAsyaError(error, envelope.Id);
        }
        finally
        {
            CloseReceivers(transport.Mesh, reportLeftovers: !StopToken.IsCancellationRequested);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseReceivers(mesh: null, reportLeftovers: false);
        }

        base.Dispose(disposing);
    }

    private AsyaMessage? WaitForEnvelope(string id, string meshPath, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;

        // The receives still waiting when this returns are cancelled: a waiting receive takes nothing.
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        var arrivals = _receivers.Select(receiver => receiver.ReceiveAsync(waiting.Token).AsTask()).ToList();
        var progress = new ProgressReport(this, $"Waiting for envelope {id}");
        var at = string.Join(" or ", _receivers.Select(receiver => $"'{receiver.Actor}'"));
        try
        {
            while (true)
            {
                // Waits in slices of a second, so the time left is shown while nothing arrives.
                var remaining = deadline - DateTimeOffset.UtcNow;
                progress.Update($"At {at}: {Math.Max(0, remaining.TotalSeconds):0} s left of {TimeoutSec} s", (int)(100 * (1 - (remaining / TimeSpan.FromSeconds(TimeoutSec)))), remaining);
                var slice = remaining < WaitSlice ? remaining : WaitSlice;
                if (!TryAwait(token => new ValueTask<Task<AsyaReceivedMessage>>(Task.WhenAny(arrivals).WaitAsync(token)), slice, out var arrived))
                {
                    if (remaining > WaitSlice)
                    {
                        continue;
                    }

                    return null;
                }

                var index = arrivals.IndexOf(arrived);
                var message = new AsyaMessage(Await(_ => new ValueTask<AsyaReceivedMessage>(arrived)), meshPath);
                if (string.Equals(message.Id, id, StringComparison.Ordinal))
                {
                    arrivals.RemoveAt(index);
                    return message;
                }

                WarnUnrelated(message);
                arrivals[index] = _receivers[index].ReceiveAsync(waiting.Token).AsTask();
            }
        }
        finally
        {
            progress.Complete();
            waiting.Cancel();
            foreach (var other in arrivals.Where(task => task.IsCompletedSuccessfully))
            {
                WarnUnrelated(new AsyaMessage(other.Result, meshPath));
            }
        }
    }

    // Someone else's envelope reached the sink or sump meanwhile. It was acknowledged, so it is reported
    // rather than dropped silently.
    private void WarnUnrelated(AsyaMessage message) =>
        WriteWarning($"'{message.Actor}' also received envelope {message.Id ?? "(not an envelope)"}: {message}");

    private static List<AsyaFlowHop> Hops(AsyaMessage final, DateTimeOffset firstAck)
    {
        var path = final.Envelope?.Route.Prev ?? new List<string>();
        var status = final.Envelope?.Status;
        var hops = new List<AsyaFlowHop>();
        for (var index = 0; index < path.Count; index++)
        {
            var actor = path[index];
            if (index == 0)
            {
                hops.Add(new AsyaFlowHop(actor, firstAck, "acknowledged the send"));
            }
            else if (index == path.Count - 1 && status?.Actor == actor && TryParseTime(status.UpdatedAt, out var updated))
            {
                hops.Add(new AsyaFlowHop(actor, updated, "status.updated_at"));
            }
            else
            {
                hops.Add(new AsyaFlowHop(actor, null, "passed (in route.prev)"));
            }
        }

        hops.Add(new AsyaFlowHop(final.Actor, final.ReceivedAt, "received"));
        return hops;
    }

    private static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private void CloseReceivers(string? mesh, bool reportLeftovers)
    {
        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
            if (reportLeftovers && mesh is not null)
            {
                foreach (var leftover in receiver.DrainBuffered())
                {
                    WarnUnrelated(new AsyaMessage(leftover, mesh));
                }
            }
        }

        _receivers.Clear();
    }
}
