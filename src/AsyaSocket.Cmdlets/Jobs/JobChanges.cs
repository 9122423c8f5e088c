using System.Management.Automation;

namespace AsyaSocket;

/// <summary>
/// Signals a reader of a job whenever the job adds output or an error, or changes state: the engine's own
/// events (<see cref="PSDataCollection{T}.DataAdded"/>, <see cref="Job.StateChanged"/>), so reading a job
/// never polls. Every change is counted, so one that happens between a look and the next wait is not lost.
/// </summary>
internal sealed class JobChanges : IDisposable
{
    private readonly Job _job;
    private readonly SemaphoreSlim _changed = new(0);

    public JobChanges(Job job)
    {
        _job = job;
        _job.Output.DataAdded += OnDataAdded;
        _job.Error.DataAdded += OnDataAdded;
        _job.StateChanged += OnStateChanged;
    }

    /// <summary>Completes at the next change (at once when one happened since the last wait).</summary>
    public async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        await _changed.WaitAsync(cancellationToken).ConfigureAwait(false);

        // Several changes since the last look need one look, not one each.
        while (_changed.Wait(0))
        {
        }

        return true;
    }

    public void Dispose()
    {
        _job.Output.DataAdded -= OnDataAdded;
        _job.Error.DataAdded -= OnDataAdded;
        _job.StateChanged -= OnStateChanged;
        _changed.Dispose();
    }

    private void OnDataAdded(object? sender, DataAddedEventArgs e) => Signal();

    private void OnStateChanged(object? sender, JobStateEventArgs e) => Signal();

    private void Signal()
    {
        try
        {
            _changed.Release();
        }
        catch (ObjectDisposedException)
        {
            // The reader is gone; an event raised while it unsubscribed has no one to wake.
        }
    }
}
