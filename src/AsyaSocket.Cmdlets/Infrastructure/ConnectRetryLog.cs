using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// Shows a send's retries while it waits for an actor that is not up yet. The sender reports each failed
/// attempt on its own thread (<see cref="Add"/>, given to <see cref="SendOptions.ConnectRetrying"/>); the
/// pipeline thread, waiting in <see cref="Wait{T}"/>, writes them as verbose records and as a progress bar
/// (attempt N of M, time left) as they come, and clears the bar once the send is over.
/// </summary>
internal sealed class ConnectRetryLog
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentQueue<AsyaConnectRetry> _retries = new();
    private readonly PSCmdlet _cmdlet;
    private readonly ProgressReport _progress;

    public ConnectRetryLog(PSCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
        _progress = new ProgressReport(cmdlet, "Waiting for an actor to come up");
    }

    /// <summary>Called by the sender, on any thread.</summary>
    public void Add(AsyaConnectRetry retry) => _retries.Enqueue(retry);

    /// <summary>Waits for <paramref name="sending"/> on the pipeline thread, writing the retries reported meanwhile.</summary>
    public T Wait<T>(Task<T> sending)
    {
        while (!Finished(sending, Tick))
        {
            Write();
        }

        Write();
        _progress.Complete();
        return sending.GetAwaiter().GetResult();
    }

    // Task.Wait without its throwing: a failed or cancelled send is finished too, and GetResult reports it.
    private static bool Finished(Task sending, TimeSpan tick)
    {
        try
        {
            return sending.Wait(tick);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    private void Write()
    {
        while (_retries.TryDequeue(out var retry))
        {
            DiagnosticLog.Verbose(_cmdlet, string.Format(
                CultureInfo.InvariantCulture,
                "Attempt {0} of {1} to reach '{2}' at {3} failed ({4}) after {5:0.0} s; retrying in {6:0} ms.",
                retry.Attempt, retry.MaxAttempts, retry.Actor, retry.Address, retry.Reason, retry.Elapsed.TotalSeconds, retry.RetryIn.TotalMilliseconds));
            _progress.Update(
                string.Format(CultureInfo.InvariantCulture, "Attempt {0} of {1} to reach '{2}' failed ({3}); retrying every {4:0} ms", retry.Attempt, retry.MaxAttempts, retry.Actor, retry.Reason, retry.RetryIn.TotalMilliseconds),
                100 * retry.Attempt / retry.MaxAttempts,
                (retry.MaxAttempts - retry.Attempt) * retry.RetryIn,
                now: true);
        }
    }
}
