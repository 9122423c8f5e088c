using System.Management.Automation;

namespace AsyaSocket.Commands;

/// <summary>Gets this session's running listeners, by name (wildcards allowed).</summary>
[Cmdlet(VerbsCommon.Get, "AsyaListener")]
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
            var found = AsyaListenerRegistry.Find(name).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(AsyaErrors.Record(
                    new ItemNotFoundException($"No running listener is named '{name}'."),
                    "ListenerNotFound", ErrorCategory.ObjectNotFound, name,
                    "List the running listeners with Get-AsyaListener."));
            }

            WriteObject(found, enumerateCollection: true);
        }
    }
}
