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

    public ScriptProcessor(ScriptBlock process)
    {
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        using var define = PowerShell.Create();
        define.Runspace = _runspace;
        define.AddScript($"function global:{FunctionName} {{\n{process}\n}}").Invoke();
    }

    /// <summary>The script's output, each item as the JSON of a new payload. Throws what the script throws.</summary>
    public IReadOnlyList<JsonElement> Process(AsyaEnvelope envelope)
    {
        var envelopeObject = PowerShellJson.FromJsonElement(JsonDocument.Parse(envelope.ToUtf8Bytes()).RootElement);
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript($"param($envelope) $envelope | ForEach-Object {{ {FunctionName} $_ }}").AddArgument(envelopeObject);
        lock (_gate)
        {
            _running = shell;
        }

        try
        {
            return shell.Invoke().Select(item => PowerShellJson.ToJsonElement(item)).ToList();
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }
        }
    }

    /// <summary>Stops a script that is running now (Stop-Job on a stuck actor).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _running?.BeginStop(null, null);
        }
    }

    public void Dispose()
    {
        Stop();
        _runspace.Dispose();
    }
}
