using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>Stops listeners: their sockets close and their files are removed; collected messages stay in the job.</summary>
[Cmdlet(VerbsLifecycle.Stop, "AsyaListener", HelpUri = HelpLinks.Pages + "Stop-AsyaListener.md", DefaultParameterSetName = NameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaListenerJob))]
public sealed class StopAsyaListenerCommand : AsyaCmdlet
{
    private const string NameSet = "Name";
    private const string InputObjectSet = "InputObject";

    /// <summary>Listener names; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ListenerNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Listener jobs, for example from Get-AsyaListener or Start-AsyaListener.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AsyaListenerJob[] InputObject { get; set; } = Array.Empty<AsyaListenerJob>();

    /// <summary>Return each stopped listener.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var job in Targets())
        {
            if (!ShouldProcess($"{job.Name} ({job.Location})", "Stop listener"))
            {
                continue;
            }

            job.StopJob();
            DiagnosticLog.Verbose(this, $"Stopped listener '{job.Name}' after {job.Received} message(s).");
            if (PassThru)
            {
                WriteObject(job);
            }
        }
    }

    private IEnumerable<AsyaListenerJob> Targets()
    {
        if (ParameterSetName == InputObjectSet)
        {
            return InputObject;
        }

        return Name.SelectMany(FindListeners).Distinct().ToList();
    }
}
