using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// Runs a mock actor's script block in a runspace of its own, one envelope at a time, with the envelope
/// as its first argument and as <c>$_</c>. Script blocks belong to the runspace that made them, so the
/// block's text is defined as a function here; the caller's variables are not visible to it.
/// </summary>
internal sealed class ScriptProcessor : IDisposable
{
    private const string FunctionName = "Invoke-AsyaActorProcess";
    private readonly Runspace _runspace;
    private readonly object _gate = new();
    private PowerShell? _running;
    private bool _stopped;

    public ScriptProcessor(ScriptBlock process)
    {
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        using var define = PowerShell.Create();
        define.Runspace = _runspace;
        define.AddScript($"function global:{FunctionName} {{\n{process}\n}}").Invoke();
    }

    /// <summary>
    /// The script's output, each item as the JSON of a new payload; throws what the script throws. A stop
    /// (<paramref name="cancellationToken"/>) ends the wait at once with <see cref="OperationCanceledException"/>,
    /// even for a script that cannot be interrupted (it is stopped in the background).
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> ProcessAsync(AsyaEnvelope envelope, CancellationToken cancellationToken)
    {
        var envelopeObject = PowerShellJson.FromUtf8Json(envelope.ToUtf8Bytes());
        var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript($"param($envelope) $envelope | ForEach-Object {{ {FunctionName} $_ }}").AddArgument(envelopeObject);
        lock (_gate)
        {
            if (_stopped)
            {
                shell.Dispose();
                throw new OperationCanceledException("The actor is stopping.");
            }

            _running = shell;
        }

        var run = Task.Run(() =>
        {
            try
            {
                return (IReadOnlyList<JsonElement>)shell.Invoke().Select(item => PowerShellJson.ToJsonElement(item)).ToList();
            }
            finally
            {
                lock (_gate)
                {
                    _running = null;
                }

                shell.Dispose();
            }
        });

        try
        {
            return await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PipelineStoppedException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The actor stopped while the script ran.", cancellationToken);
        }
    }

    /// <summary>Stops a script that is running now and refuses new ones (Stop-Job on an actor).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _running?.BeginStop(null, null);
        }
    }

    public void Dispose()
    {
        Stop();
        _runspace.Dispose();
    }
}
