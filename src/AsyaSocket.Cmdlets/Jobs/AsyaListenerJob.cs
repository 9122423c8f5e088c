using System.ComponentModel;
using System.Management.Automation;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// A background listener as a PowerShell job: Get-Job, Receive-Job, Wait-Job, Stop-Job and Remove-Job
/// work on it. Its pump tasks only add to the job's thread-safe streams; they never call Write*.
/// Stopping closes the listeners first and lets the pumps drain, so every acknowledged message reaches
/// the job's output.
/// </summary>
public class AsyaListenerJob : Job2
{
    /// <summary>The PSJobTypeName of every listener job.</summary>
    public const string JobTypeName = "AsyaListener";

    private readonly IReadOnlyList<IAsyaReceiver> _receivers;
    // Receive-Job empties the output without any notice (PSDataCollection raises no event on removal), so a
    // full job that no reader of ours has signalled looks again after this long; TakeOutput and a stop wake it at once.
    private static readonly TimeSpan FullOutputRecheck = TimeSpan.FromMilliseconds(100);
    private readonly SemaphoreSlim _outputRoom = new(0);
    private readonly object _stateLock = new();
    private readonly int _outputCapacity;
    private readonly long _outputByteCapacity;
    private readonly OutputLedger _ledger;
    private Task? _pumps;
    private long _received;
    private bool _stopRequested;
    private bool _disposed;

    internal AsyaListenerJob(string command, string name, IReadOnlyList<IAsyaReceiver> receivers, string meshPath, string jobTypeName = JobTypeName, int outputCapacity = int.MaxValue, long outputByteCapacity = long.MaxValue)
        : base(command, name)
    {
        _receivers = receivers;
        _outputCapacity = outputCapacity;
        _outputByteCapacity = outputByteCapacity;
        _ledger = new OutputLedger(Output);
        PSJobTypeName = jobTypeName;
        MeshPath = meshPath;
        Actor = receivers.Select(receiver => receiver.Actor).ToArray();
        Location = string.Join(", ", receivers.Select(receiver => receiver.Address));
    }

    /// <summary>The actor names listened as.</summary>
    public string[] Actor { get; }

    /// <summary>The mesh directory.</summary>
    public string MeshPath { get; }

    /// <summary>Messages received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages held by the listeners and not yet collected.</summary>
    public int Buffered => _receivers.Sum(receiver => receiver.Counters.Buffered);

    /// <summary>Connections closed without an ack (probes, silent or broken peers).</summary>
    public long Rejected => _receivers.Sum(receiver => receiver.Counters.RejectedTotal);

    /// <summary>Per-listener counters.</summary>
    public IReadOnlyList<ReceiverCounters> Counters => _receivers.Select(receiver => receiver.Counters).ToList();

    /// <summary>The socket paths.</summary>
    public override string Location { get; }

    /// <inheritdoc />
    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0;

    /// <inheritdoc />
    public override string StatusMessage => $"{Received} received";

    /// <summary>Starts the pumps that move messages into the job's output.</summary>
    public override void StartJob()
    {
        lock (_stateLock)
        {
            if (_pumps is not null)
            {
                return;
            }

            SetJobState(JobState.Running);
            _pumps = Task.WhenAll(_receivers.Select(PumpAsync));
        }

        _pumps.ContinueWith(_ => OnPumpsEnded(), TaskScheduler.Default);
    }

    /// <inheritdoc />
    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    /// <inheritdoc />
    public override void StopJob() => StopJob(force: false, reason: null);

    /// <summary>Closes the listeners, waits until every acknowledged message is in the output, then reports Stopped.</summary>
    public override void StopJob(bool force, string? reason)
    {
        Task? pumps;
        lock (_stateLock)
        {
            _stopRequested = true;
            pumps = _pumps;
            if (!IsFinished(JobStateInfo.State))
            {
                SetJobState(JobState.Stopping);
            }
        }

        // First the derived job stops its work (an actor's script and sends), so nothing taken from now on
        // starts anew; then the listeners close, giving back what they did not acknowledge.
        OnStopping();
        foreach (var receiver in _receivers)
        {
            receiver.Dispose();
        }

        SignalOutputRoom();
        pumps?.GetAwaiter().GetResult();
        lock (_stateLock)
        {
            if (!IsFinished(JobStateInfo.State))
            {
                SetJobState(JobState.Stopped);
            }
        }

        AsyaListenerRegistry.Remove(this);

        // Stop-Job waits for this event; without it Stop-Job hangs even after the state is Stopped.
        OnStopJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    /// <inheritdoc />
    public override void StopJobAsync() => StopJobAsync(force: false, reason: null);

    /// <inheritdoc />
    public override void StopJobAsync(bool force, string? reason) =>
        Task.Run(() => StopJob(force, reason));

    /// <inheritdoc />
    public override void SuspendJob() => throw NotSupported("suspended");

    /// <inheritdoc />
    public override void SuspendJobAsync() => throw NotSupported("suspended");

    /// <inheritdoc />
    public override void SuspendJob(bool force, string? reason) => throw NotSupported("suspended");

    /// <inheritdoc />
    public override void SuspendJobAsync(bool force, string? reason) => throw NotSupported("suspended");

    /// <inheritdoc />
    public override void ResumeJob() => throw NotSupported("resumed");

    /// <inheritdoc />
    public override void ResumeJobAsync() => throw NotSupported("resumed");

    /// <inheritdoc />
    public override void UnblockJob() => throw NotSupported("unblocked");

    /// <inheritdoc />
    public override void UnblockJobAsync() => throw NotSupported("unblocked");

    /// <summary>Body bytes of the messages in the job's output, not yet collected.</summary>
    public long OutputBytes => _ledger.Bytes;

    /// <summary>Takes the oldest collected message out of the output; false when there is none.</summary>
    internal bool TryTakeOutput(out PSObject message)
    {
        if (!_ledger.TryTakeFirst(out message))
        {
            return false;
        }

        SignalOutputRoom();
        return true;
    }

    /// <summary>Puts a taken message back in front, for a reader that was stopped before its pipeline took it.</summary>
    internal void GiveBack(PSObject message) => _ledger.PutBackFirst(message, BytesOf(message));

    /// <summary>Adds to the job's output; every addition goes through here, so the output is counted in bytes.</summary>
    private protected void AddOutput(object item) => _ledger.Append(PSObject.AsPSObject(item), BytesOf(item));

    private static long BytesOf(object item) => (item is PSObject wrapped ? wrapped.BaseObject : item) switch
    {
        AsyaMessage message => message.Length,
        AsyaActorResult { Kept: { } kept } => kept.Length,
        _ => 0,
    };

    // One pending wakeup is enough: the woken pump looks at the output again.
    private void SignalOutputRoom()
    {
        if (_outputRoom.CurrentCount == 0)
        {
            _outputRoom.Release();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (!IsFinished(JobStateInfo.State))
            {
                StopJob();
            }

            AsyaListenerRegistry.Remove(this);
            OnDisposed();
        }

        base.Dispose(disposing);
    }

    /// <summary>One line, like Get-Job's row: the name, the state, how many received and where.</summary>
    public override string ToString() => $"{Name} ({JobStateInfo.State}, {StatusMessage}) at {Location}";

    /// <summary>Releases what a derived job holds, once.</summary>
    private protected virtual void OnDisposed()
    {
    }

    private async Task PumpAsync(IAsyaReceiver receiver)
    {
        try
        {
            await foreach (var message in receiver.ReadAllAsync().ConfigureAwait(false))
            {
                Interlocked.Increment(ref _received);
                await HandleAsync(message).ConfigureAwait(false);
            }
        }
        catch (AsyaTransportException error)
        {
            Error.Add(AsyaErrors.Record(error, receiver.Address));
        }
        catch (Exception error)
        {
            // Nothing may escape a thread the module created: an unhandled exception would end pwsh.
            Error.Add(AsyaErrors.Record(error, "ListenerFailed", ErrorCategory.NotSpecified, receiver.Address));
        }
    }

    /// <summary>What the job does with each message: a listener collects it into its output.</summary>
    private protected virtual async ValueTask HandleAsync(AsyaReceivedMessage message)
    {
        // Backpressure: while nobody collects, the listener's own buffer fills and its acks stop, which
        // holds the senders back. A stop drains everything into the output: acked messages are never dropped.
        // The output is bounded in bytes too; one message is always let in, however large, so none is stuck.
        while ((Output.Count >= _outputCapacity || (Output.Count > 0 && _ledger.Bytes + message.Length > _outputByteCapacity))
               && !Volatile.Read(ref _stopRequested))
        {
            await _outputRoom.WaitAsync(FullOutputRecheck).ConfigureAwait(false);
        }

        AddOutput(new AsyaMessage(message, MeshPath));
    }

    /// <summary>Called once stopping began, before the listeners close and the pumps are awaited.</summary>
    private protected virtual void OnStopping()
    {
    }

    private void OnPumpsEnded()
    {
        lock (_stateLock)
        {
            // Every listener ended on its own (its socket was replaced): the job failed.
            if (!_stopRequested && !IsFinished(JobStateInfo.State))
            {
                SetJobState(JobState.Failed);
                AsyaListenerRegistry.Remove(this);
            }
        }
    }

    /// <summary>True once the job stopped, failed or completed.</summary>
    internal bool IsFinished() => IsFinished(JobStateInfo.State);

    private static bool IsFinished(JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Stopped;

    private static NotSupportedException NotSupported(string what) => new($"An AsyaListener job cannot be {what}; stop it and start a new one.");
}
