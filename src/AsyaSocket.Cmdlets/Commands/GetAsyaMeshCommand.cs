using System.Management.Automation;
using AsyaSocket.Core.Errors;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Gets the mesh cmdlets reach when given neither -Mesh nor -MeshPath: the session's Connect-AsyaMesh, else the
/// sidecar's environment (ASYA_TRANSPORT=rabbitmq), else the socket default. Connects to nothing.
/// </summary>
[Cmdlet(VerbsCommon.Get, "AsyaMesh", HelpUri = HelpLinks.Pages + "Get-AsyaMesh.md")]
[OutputType(typeof(AsyaMeshConnection))]
public sealed class GetAsyaMeshCommand : AsyaCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        try
        {
            WriteObject(MeshSession.Choose(null, null));
        }
        catch (AsyaTransportException error)
        {
            WriteAsyaError(error, null);
        }
    }
}
