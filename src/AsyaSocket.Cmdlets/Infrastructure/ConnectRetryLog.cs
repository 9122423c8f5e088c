using System.Collections.Concurrent;
using System.Globalization;
using System.Management.Automation;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// Shows a send's retries while it waits for an actor that is not up yet. The sender reports each failed
/// attempt on its own thread (<see cref="Add"/>, given to <see cref="SendOptions.ConnectRetrying"/>); the
/// pipeline thread, waiting in <see cref="Wait{T}"/>, writes them as verbose records as they come.
/// </summary>
internal sealed class ConnectRetryLog
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentQueue<AsyaConnectRetry> _retries = new();
    private readonly PSCmdlet _cmdlet;

    public ConnectRetryLog(PSCmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>Called by the sender, on any thread.</summary>
    public void Add(AsyaConnectRetry retry) => _retries.Enqueue(retry);

    /// <summary>Waits for <paramref name="sending"/> on the pipeline thread, writing the retries reported meanwhile.</summary>
    public T Wait<T>(Task<T> sending)
    {
        while (!((IAsyncResult)sending).AsyncWaitHandle.WaitOne(Tick))
        {
            Write();
        }

        Write();
        return sending.GetAwaiter().GetResult();
    }

    private void Write()
    {
        while (_retries.TryDequeue(out var retry))
        {
            DiagnosticLog.Verbose(_cmdlet, string.Format(
                CultureInfo.InvariantCulture,
                "Attempt {0} of {1} to reach '{2}' at {3} failed ({4}) after {5:0.0} s; retrying in {6:0} ms.",
                retry.Attempt, retry.MaxAttempts, retry.Actor, retry.Address, retry.Reason, retry.Elapsed.TotalSeconds, retry.RetryIn.TotalMilliseconds));
        }
    }
}
