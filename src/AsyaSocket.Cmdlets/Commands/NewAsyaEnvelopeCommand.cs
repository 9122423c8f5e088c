using System.Collections;
using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>Builds an envelope to inspect or edit with ordinary PowerShell syntax before sending; its ToJson() is the wire JSON.</summary>
[Cmdlet(VerbsCommon.New, "AsyaEnvelope", HelpUri = HelpLinks.Pages + "New-AsyaEnvelope.md", DefaultParameterSetName = ActorSet)]
[OutputType(typeof(AsyaEnvelopeDraft))]
public sealed class NewAsyaEnvelopeCommand : AsyaCmdlet
{
    private const string ActorSet = "Actor";
    private const string RouteSet = "Route";

    /// <summary>The actor the envelope is for (route.curr).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ActorSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string? Actor { get; set; }

    /// <summary>The actors in order: the first is route.curr, the rest route.next.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RouteSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string[]? Route { get; set; }

    /// <summary>The parent envelope's id.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ParentId { get; set; }

    /// <summary>The payload: any PowerShell value.</summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    [AllowNull]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public object? Payload { get; set; }

    /// <summary>The envelope id; a new GUID when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>Envelope headers.</summary>
    [Parameter]
    public Hashtable? Header { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            WriteObject(new AsyaEnvelopeDraft(EnvelopeInput.Create(Actor, Route, Payload, Id, ParentId, Header)));
        }
        catch (ArgumentException error)
        {
            WriteError(AsyaErrors.Record(error, "InvalidEnvelope", ErrorCategory.InvalidArgument, Payload));
        }
    }
}
