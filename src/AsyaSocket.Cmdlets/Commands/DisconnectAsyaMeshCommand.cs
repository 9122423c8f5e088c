using System.Management.Automation;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Forgets the session's Connect-AsyaMesh, so cmdlets fall back to the sidecar's environment or the socket
/// default, and closes that broker connection: listener jobs and mock actors on it stop, and every message they
/// held unacknowledged goes back to its queue.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "AsyaMesh", HelpUri = HelpLinks.Pages + "Disconnect-AsyaMesh.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(AsyaMeshConnection))]
public sealed class DisconnectAsyaMeshCommand : AsyaCmdlet
{
    /// <summary>The connection to close; default the session's.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AsyaMeshConnection? Mesh { get; set; }

    /// <summary>Write the closed connection.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var connection = Mesh ?? MeshSession.Current;
        if (connection is null)
        {
            WriteVerbose("No Connect-AsyaMesh connection in this session.");
            return;
        }

        if (!ShouldProcess(connection.ToString(), "Disconnect"))
        {
            return;
        }

        if (ReferenceEquals(connection, MeshSession.Current) || Mesh is null)
        {
            MeshSession.Clear();
        }

        if (connection.Broker is { } broker)
        {
            // Its jobs stop first, each returning what it held unacknowledged; then the connection goes.
            foreach (var job in AsyaListenerRegistry.All.Where(job => job.MeshPath == connection.Mesh))
            {
                WriteVerbose($"Stopping {job.PSJobTypeName} '{job.Name}' on {connection.Mesh}.");
                job.StopJob();
            }

            RabbitMqBridge.Close(broker);
        }

        if (PassThru)
        {
            WriteObject(connection);
        }
    }
}
