using System.Diagnostics;
using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Listens as an actor and writes each message to the pipeline as it arrives, or reads what a background
/// listener collected. A message is acknowledged only when it is taken for output, so once -Count is
/// reached nothing more is acked: later senders keep their messages and retry.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "AsyaMessage", HelpUri = HelpLinks.Pages + "Receive-AsyaMessage.md", DefaultParameterSetName = ListenSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaMessage))]
public sealed class ReceiveAsyaMessageCommand : MeshCmdlet
{
    private const string ListenSet = "Listen";
    private const string ListenerSet = "Listener";
    private static readonly TimeSpan AckWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private IAsyaReceiver? _receiver;

    /// <summary>The actor name to listen as (the socket is &lt;mesh&gt;/&lt;actor&gt;.sock).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListenSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? Actor { get; set; }

    /// <summary>A listener job (from Start-AsyaListener or Get-AsyaListener), or a running listener's name, whose collected messages to read.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ListenerSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    [ListenerByName]
    [ArgumentCompleter(typeof(ListenerNameCompleter))]
    public AsyaListenerJob? Listener { get; set; }

    /// <summary>The mesh directory; default ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh.</summary>
    /// <remarks>Only where this cmdlet listens: a listener job already has its mesh.</remarks>
    [Parameter(ParameterSetName = ListenSet)]
    [ValidateNotNullOrEmpty]
    public new string? MeshPath
    {
        get => base.MeshPath;
        set => base.MeshPath = value;
    }

    /// <summary>Stop after this many messages.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>
    /// Total seconds to wait. Without -Count, receive until then and stop quietly; with -Count, fewer than
    /// -Count messages by then is an OperationTimeout error.
    /// </summary>
    [Parameter]
    [ValidateRange(0.001, 86400)]
    public double TimeoutSec { get; set; }

    /// <summary>Take the actor name over even when a live listener owns it.</summary>
    [Parameter(ParameterSetName = ListenSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Octal mode for the socket file, for example 0666 when mesh containers run as other UIDs.</summary>
    [Parameter(ParameterSetName = ListenSet)]
    [ValidatePattern(SocketModeParser.Pattern)]
    public string? SocketMode { get; set; }

    /// <summary>On RabbitMQ: see copies of the actor's messages through a private queue, taking nothing from a running actor. No effect on sockets.</summary>
    [Parameter(ParameterSetName = ListenSet)]
    public SwitchParameter Tap { get; set; }

    private protected override ListenerSettings ListenerSettings => new(Force, SocketMode, Observe: Tap);

    /// <inheritdoc />
    protected override void ProcessRecord(IAsyaTransport transport)
    {
        if (ParameterSetName == ListenSet)
        {
            Listen(transport);
        }
        else
        {
            ReadListener(Listener!);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _receiver?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Listen(IAsyaTransport transport)
    {
        if (!ShouldProcess(AddressOrStop(transport, Actor!), "Listen"))
        {
            return;
        }

        try
        {
            // Explicit: a message is acknowledged only once the pipeline took it; one taken but not written
            // when a stop comes goes back to its sender unacknowledged when the receiver is disposed.
            // Inline delivery: this thread waits blocked in each receive, so the transport's thread only wakes it.
            _receiver = Listen(transport, Actor!, new ListenOptions { AckPolicy = AckPolicy.Explicit, InlineDelivery = true });
        }
        catch (AsyaTransportException error)
        {
            // Binding concerns this actor name only: non-terminating, so -ErrorAction decides.
            WriteAsyaError(error, StartupTarget(error, transport, Actor!));
            return;
        }

        DiagnosticLog.Verbose(this, $"Listening as '{Actor}' at {_receiver.Address}.");
        var progress = new ProgressReport(this, $"Receiving as '{Actor}'");

        // One deadline for the whole command (-TimeoutSec is the total), not a timer per message.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        if (TimeoutSec > 0)
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(TimeoutSec));
        }

        try
        {
            var clock = Stopwatch.StartNew();
            var received = 0;
            var refused = new RefusedFrameReport(_receiver);
            while (Count == 0 || received < Count)
            {
                if (!TryReceive(_receiver, refused, deadline.Token, out var message))
                {
                    WriteTimeoutIfShort(received);
                    break;
                }

                var written = WriteThenAcknowledge(_receiver, message, transport.Mesh);
                received++;
                DiagnosticLog.Received(this, written, received, Count);
                ShowProgress(progress, received, clock);
            }

            refused.WriteNew(this);
        }
        catch (AsyaTransportException error)
        {
            WriteAsyaError(error, Actor);
        }
        finally
        {
            progress.Complete();
            _receiver.Dispose();
            _receiver = null;
        }
    }

    // Waits for the next message in short slices, so frames refused meanwhile are reported as they happen.
    private bool TryReceive(IAsyaReceiver receiver, RefusedFrameReport refused, CancellationToken deadline, out AsyaReceivedMessage message)
    {
        var next = receiver.ReceiveAsync(deadline);
        if (next.IsCompletedSuccessfully)
        {
            message = next.Result;
            return true;
        }

        var receiving = next.AsTask();
        try
        {
            while (!receiving.Wait(RefusedFrameReport.CheckInterval, StopToken))
            {
                refused.WriteNew(this);
            }

            message = receiving.Result;
            return true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (AggregateException error) when (error.InnerException is OperationCanceledException && !StopToken.IsCancellationRequested)
        {
            message = null!;
            return false;
        }
        catch (AggregateException error) when (error.InnerException is OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        catch (AggregateException error) when (error.InnerException is AsyaTransportException transport)
        {
            throw transport;
        }
    }

    // The ack goes out only after WriteObject returned for the message, or after the downstream ended the
    // pipeline with it in hand (Select-Object -First, break). A stop or a failure downstream leaves it
    // unacknowledged: disposing the receiver then gives it back to its sender, which may send it again.
    private AsyaMessage WriteThenAcknowledge(IAsyaReceiver receiver, AsyaReceivedMessage message, string meshPath)
    {
        var written = new AsyaMessage(message, meshPath);
        try
        {
            WriteObject(written);
        }
        catch (Exception error) when (DownstreamTookIt(error))
        {
            Acknowledge(receiver, message, warn: false);
            throw;
        }

        Acknowledge(receiver, message, warn: true);
        return written;
    }

    private void Acknowledge(IAsyaReceiver receiver, AsyaReceivedMessage message, bool warn)
    {
        // Not cancelled by a stop: the pipeline has the message, so its sender must hear so. The ack is one
        // byte the listener writes within its own timeout; this only bounds how long the pipeline waits for it.
        try
        {
            // Nearly always done already: the listener writes the byte on this thread.
            var acknowledged = receiver.AcknowledgeAsync(message, CancellationToken.None);
            if (!acknowledged.IsCompletedSuccessfully)
            {
                acknowledged.AsTask().Wait(AckWait);
            }
        }
        catch (AggregateException error) when (error.InnerException is AsyaTransportException failure && warn)
        {
            WriteWarning($"The sender of message {message.TransportId} gave up before its ack ({failure.Message}); it may send it again.");
        }
        catch (AggregateException)
        {
            // Ending the pipeline: nothing more can be written, and the sender sees the error itself.
        }
    }

    private void ReadListener(AsyaListenerJob job)
    {
        if (!ShouldProcess($"{job.Name} ({job.Location})", "Take collected messages"))
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var received = 0;
        var progress = new ProgressReport(this, $"Reading listener '{job.Name}'");

        // Woken by the job's own streams and state, never by a timer: subscribed before the first look, so
        // nothing added in between is missed.
        using var changes = new JobChanges(job);
        while (true)
        {
            foreach (var error in job.Error.ReadAll())
            {
                WriteError(error);
            }

            while ((Count == 0 || received < Count) && job.TryTakeOutput(out var message))
            {
                WriteMessageBack(job, message);
                received++;
                if (message.BaseObject is AsyaMessage taken)
                {
                    DiagnosticLog.Received(this, taken, received, Count);
                }
            }

            var waitingForCount = Count > 0 && received < Count;
            var waitingForTime = Count == 0 && TimeoutSec > 0;
            if (!(waitingForCount || waitingForTime) || (job.IsFinished() && job.Output.Count == 0))
            {
                break;
            }

            var remaining = Remaining(clock);
            if (remaining <= TimeSpan.Zero)
            {
                WriteTimeoutIfShort(received);
                break;
            }

            // Woken or timed out, the next round drains and decides; at least once a second, so the
            // progress shows the time left while nothing arrives.
            ShowProgress(progress, received, clock);
            TryAwait(changes.WaitAsync, remaining is { } left && left < ProgressInterval ? left : ProgressInterval, out _);
        }

        progress.Complete();
    }

    // Messages so far of -Count, and the time left of -TimeoutSec.
    private void ShowProgress(ProgressReport progress, int received, Stopwatch clock)
    {
        if (!progress.IsDue)
        {
            return;
        }

        var remaining = Remaining(clock);
        var status = Count > 0 ? $"{received} of {Count} message(s)" : $"{received} message(s)";
        if (remaining is { } left)
        {
            status += $", {Math.Max(0, left.TotalSeconds):0} s left of {TimeoutSec} s";
        }

        var percent = Count > 0 ? 100 * received / Count
            : remaining is { } rest ? (int)(100 * (1 - (rest / TimeSpan.FromSeconds(TimeoutSec)))) : -1;
        progress.Update(status, percent, remaining);
    }

    // A message the pipeline did not take (a stop, or a failure downstream) goes back to the job, so it
    // stays readable.
    private void WriteMessageBack(AsyaListenerJob job, PSObject message)
    {
        try
        {
            WriteObject(message);
        }
        catch (Exception error) when (!DownstreamTookIt(error))
        {
            job.GiveBack(message);
            throw;
        }
    }

    // Select-Object -First ends the pipeline after taking the object: upstream, WriteObject throws
    // PipelineStoppedException, but the pipeline is not stopping (a Ctrl+C or Stop-Job sets Stopping first).
    // Flow control (break, exit) downstream also means it had the object.
    private bool DownstreamTookIt(Exception error) =>
        error is FlowControlException || (error is PipelineStoppedException && !Stopping);

    private TimeSpan? Remaining(Stopwatch clock) =>
        TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) - clock.Elapsed : null;

    private void WriteTimeoutIfShort(int received)
    {
        if (Count > 0 && received < Count)
        {
            WriteError(AsyaErrors.Record(
                new TimeoutException($"Received {received} of {Count} message(s) as '{Actor ?? Listener?.Name}' within {TimeoutSec} s."),
                "ReceiveTimeout",
                ErrorCategory.OperationTimeout,
                Actor ?? (object?)Listener,
                "Check that the senders target this actor and mesh directory (Test-AsyaMesh), or raise -TimeoutSec."));
        }
    }
}
