using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>Gets this session's running listeners, by name (wildcards allowed).</summary>
[Cmdlet(VerbsCommon.Get, "AsyaListener", HelpUri = HelpLinks.Pages + "Get-AsyaListener.md")]
[OutputType(typeof(AsyaListenerJob))]
public sealed class GetAsyaListenerCommand : AsyaCmdlet
{
    /// <summary>Listener names; wildcards allowed. Default: all.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ListenerNameCompleter))]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Name is null)
        {
            WriteObject(AsyaListenerRegistry.All, enumerateCollection: true);
            return;
        }

        foreach (var name in Name)
        {
            WriteObject(FindListeners(name), enumerateCollection: true);
        }
    }
}
