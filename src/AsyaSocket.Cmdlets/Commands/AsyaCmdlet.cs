using System.Management.Automation;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// The base of every AsyaSocket cmdlet: one cancellation source that Ctrl+C (StopProcessing) cancels,
/// blocking waits that honour it on the pipeline thread, and translation of core errors into error records.
/// </summary>
public abstract class AsyaCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private (bool Verbose, bool Debug)? _preferences;
    private bool _disposed;

    /// <summary>Whether verbose and debug records are wanted, read at the first use in this command: a scope lookup per record costs more than a send.</summary>
    internal (bool Verbose, bool Debug) Preferences => _preferences ??= (DiagnosticLog.ReadVerbose(this), DiagnosticLog.ReadDebug(this));

    /// <summary>Cancelled when the pipeline stops (Ctrl+C, Stop-Job, Select-Object -First).</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs async core work and waits for it on the pipeline thread; a stop ends the wait at once.</summary>
    protected T Await<T>(Func<CancellationToken, ValueTask<T>> work)
    {
        try
        {
            return work(StopToken).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Like <see cref="Await{T}"/>, but gives up after <paramref name="timeout"/> (infinite when null) and returns false.</summary>
    protected bool TryAwait<T>(Func<CancellationToken, ValueTask<T>> work, TimeSpan? timeout, out T result)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit < TimeSpan.Zero ? TimeSpan.Zero : limit);
        }

        try
        {
            result = work(deadline.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            result = default!;
            return false;
        }
    }

    /// <summary>Runs async core work that returns nothing.</summary>
    protected void Await(Func<CancellationToken, ValueTask> work) => Await<bool>(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    /// <summary>Running listeners matching <paramref name="name"/> (wildcards allowed); a plain name that matches none is a non-terminating ListenerNotFound error.</summary>
    protected IReadOnlyList<AsyaListenerJob> FindListeners(string name)
    {
        var found = AsyaListenerRegistry.Find(name).ToList();
        if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
        {
            WriteError(AsyaErrors.Record(
                new ItemNotFoundException($"No running listener is named '{name}'."),
                "ListenerNotFound", ErrorCategory.ObjectNotFound, name,
                "List the running listeners with Get-AsyaListener."));
        }

        return found;
    }

    /// <summary>
    /// Where <paramref name="actor"/> is reached, for ShouldProcess and messages. A name no address can hold
    /// (a NUL) stops the command with its stable error id (InvalidActorName), never a bare exception.
    /// </summary>
    protected string AddressOrStop(IAsyaTransport transport, string actor)
    {
        try
        {
            return transport.AddressOf(actor);
        }
        catch (AsyaTransportException error)
        {
            ThrowAsyaError(error, actor);
            throw;
        }
    }

    /// <summary>Reports a per-item failure and lets the pipeline go on.</summary>
    protected void WriteAsyaError(AsyaTransportException error, object? target) => WriteError(AsyaErrors.Record(error, target));

    /// <summary>Stops the command: nothing can proceed.</summary>
    protected void ThrowAsyaError(AsyaTransportException error, object? target) => ThrowTerminatingError(AsyaErrors.Record(error, target));

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the cmdlet holds; called after a stop too, when EndProcessing is not.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (disposing)
        {
            _stopping.Dispose();
        }
    }
}
