using System.Collections;
using System.Management.Automation;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// The base of the mesh cmdlets that build a new envelope from a payload and send it (Invoke-AsyaFlow):
/// the envelope parameters beside the connection ones, and the envelope they describe. New-AsyaEnvelope
/// builds the same envelope without reaching any mesh, so it declares these itself.
/// </summary>
public abstract class EnvelopeCmdlet : MeshCmdlet
{
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

    /// <summary>A new envelope for <paramref name="route"/> (or <paramref name="actor"/>) from these parameters.</summary>
    private protected AsyaEnvelope CreateEnvelope(string? actor, string[]? route, string? parentId = null) =>
        EnvelopeInput.Create(actor, route, Payload, Id, parentId, Header);
}
