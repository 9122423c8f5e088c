using System.Management.Automation;
using AsyaSocket.Completion;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Commands;

/// <summary>
/// Checks a mesh from the file system only, like the Asya suites' <c>test -S</c>: never connects unless
/// -Probe is given, because a connect probe makes a real sidecar log an error and back off.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AsyaMesh", HelpUri = HelpLinks.Pages + "Test-AsyaMesh.md", DefaultParameterSetName = "Default")]
[OutputType(typeof(AsyaMeshCheck), typeof(bool))]
public sealed class TestAsyaMeshCommand : AsyaCmdlet
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private readonly List<AsyaMeshCheck> _checks = new();

    /// <summary>The mesh directory; default ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? MeshPath { get; set; }

    /// <summary>
    /// The mesh to check (from Connect-AsyaMesh or Get-AsyaMesh). Without it and -MeshPath: the session's
    /// Connect-AsyaMesh, else the sidecar's environment (ASYA_TRANSPORT=rabbitmq), else the socket default.
    /// On RabbitMQ the checks are passive declarations: they create nothing and take no message.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public AsyaMeshConnection? Mesh { get; set; }

    /// <summary>The actors to check; default: every *.sock in the mesh directory (a broker cannot list queues: name them).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ActorNameCompleter))]
    public string[]? Actor { get; set; }

    /// <summary>A docker-compose file: check the socket of every service whose environment sets ASYA_ACTOR_NAME.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ComposeFile { get; set; }

    /// <summary>Also connect to each socket to tell live from stale. A real sidecar logs an error for each probe.</summary>
    [Parameter]
    public SwitchParameter Probe { get; set; }

    /// <summary>Return only $true when no check failed, else $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        AsyaMeshConnection chosen;
        try
        {
            chosen = MeshSession.Choose(Mesh, string.IsNullOrEmpty(MeshPath) ? null : GetUnresolvedProviderPathFromPSPath(MeshPath));
        }
        catch (AsyaTransportException error)
        {
            ThrowAsyaError(error, null);
            return;
        }

        if (chosen.Broker is { } broker)
        {
            CheckBroker(broker);
            return;
        }

        // Test-AsyaMesh checks the socket transport's mesh directory itself, so it names the directory here.
        var mesh = new MeshDirectory(chosen.MeshPath);
        DiagnosticLog.Verbose(this, $"Checking mesh directory '{mesh.Path}' from the file system{(Probe ? ", probing each socket" : " (no connections)")}.");
        if (!CheckMeshDirectory(mesh))
        {
            return;
        }

        var actors = new List<string>(Actor ?? Array.Empty<string>());
        if (ComposeFile is not null && !AddComposeActors(GetUnresolvedProviderPathFromPSPath(ComposeFile), actors))
        {
            return;
        }

        IEnumerable<SocketFileInfo> sockets;
        try
        {
            sockets = actors.Count > 0
                ? actors.Distinct(StringComparer.Ordinal).Select(actor => Inspect(mesh, actor)).OfType<SocketFileInfo>().ToList()
                : MeshInspector.InspectAll(mesh);
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            Add(null, "MeshDirectory", AsyaCheckStatus.Fail, $"Cannot list '{mesh.Path}': {error.Message}. Run as a user that can read the mesh volume.", mesh.Path);
            return;
        }

        var any = false;
        foreach (var socket in sockets)
        {
            any = true;
            DiagnosticLog.Verbose(this, $"Checking '{socket.Actor}' at {socket.Path}.");
            CheckSocket(socket);
        }

        if (!any)
        {
            Add(null, "Actors", AsyaCheckStatus.Warn, $"No *.sock files in '{mesh.Path}': no actor is up yet, or this is the wrong mesh directory.", mesh.Path);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (Quiet)
        {
            WriteObject(_checks.All(check => check.Status != AsyaCheckStatus.Fail));
        }
    }

    private void CheckBroker(BrokerMesh broker)
    {
        var actors = new List<string>(Actor ?? Array.Empty<string>());
        if (ComposeFile is not null)
        {
            var path = GetUnresolvedProviderPathFromPSPath(ComposeFile);
            try
            {
                actors.AddRange(ComposeSidecars.Read(path).Select(sidecar => sidecar.Actor));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                Add(null, "ComposeFile", AsyaCheckStatus.Fail, $"Cannot read compose file '{path}': {error.Message}", path);
                return;
            }
        }

        if (Probe)
        {
            WriteVerbose("-Probe has no meaning on RabbitMQ: the consumer count already tells a running actor from a stopped one.");
        }

        var checks = Await(token => new ValueTask<IReadOnlyList<AsyaMeshCheck>>(RabbitMqBridge.InspectAsync(broker, actors.Distinct(StringComparer.Ordinal).ToList(), token)));
        foreach (var check in checks)
        {
            Add(check.Actor, check.Check, check.Status, check.Message, check.Path);
        }
    }

    private bool AddComposeActors(string path, List<string> actors)
    {
        IReadOnlyList<ComposeSidecar> sidecars;
        try
        {
            sidecars = ComposeSidecars.Read(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Add(null, "ComposeFile", AsyaCheckStatus.Fail, $"Cannot read compose file '{path}': {error.Message}", path);
            return false;
        }

        if (sidecars.Count == 0)
        {
            Add(null, "ComposeFile", AsyaCheckStatus.Fail, $"No service in '{path}' sets ASYA_ACTOR_NAME: it declares no Asya sidecar.", path);
            return false;
        }

        Add(null, "ComposeFile", AsyaCheckStatus.Pass, $"{sidecars.Count} sidecar(s) in '{path}': {string.Join(", ", sidecars.Select(s => s.Actor))}.", path);
        foreach (var sidecar in sidecars.Where(s => !string.Equals(s.Transport, "socket", StringComparison.OrdinalIgnoreCase)))
        {
            Add(sidecar.Actor, "Transport", AsyaCheckStatus.Warn,
                $"Service '{sidecar.Service}' sets ASYA_TRANSPORT={sidecar.Transport ?? "(unset: rabbitmq)"}; only ASYA_TRANSPORT=socket listens on the mesh.", path);
        }

        var users = sidecars.Select(s => s.User ?? "(image default)").Distinct(StringComparer.Ordinal).ToList();
        if (users.Count > 1)
        {
            Add(null, "SameUser", AsyaCheckStatus.Warn,
                $"The sidecars run as different users ({string.Join(", ", users)}); a socket is reachable only by its owner's UID. Give every mesh service the same user.", path);
        }

        actors.AddRange(sidecars.Select(s => s.Actor));
        return true;
    }

    private bool CheckMeshDirectory(MeshDirectory mesh)
    {
        if (!mesh.Exists)
        {
            Add(null, "MeshDirectory", AsyaCheckStatus.Fail,
                $"Mesh directory '{mesh.Path}' does not exist. Mount the mesh volume there, or point -MeshPath or {MeshDirectory.EnvironmentVariable} at it.", mesh.Path);
            return false;
        }

        Add(null, "MeshDirectory", AsyaCheckStatus.Pass, $"Mesh directory '{mesh.Path}' exists.", mesh.Path);
        CheckMeshPathLength(mesh);
        return true;
    }

    // A mesh directory too long for even a one-letter actor's socket leaves every actor without one, and
    // every per-actor check would only say "not running"; say why once, up front.
    private void CheckMeshPathLength(MeshDirectory mesh)
    {
        var shortest = System.IO.Path.Join(mesh.Path, MeshDirectory.SocketFileName("a"));
        var length = SocketPathLimit.ByteLength(shortest);
        if (length > SocketPathLimit.MaxBytes)
        {
            Add(null, "PathLength", AsyaCheckStatus.Fail,
                $"The mesh directory is {SocketPathLimit.ByteLength(mesh.Path)} bytes long, so even a one-letter actor's socket path ('{shortest}') is {length} bytes; Unix sockets allow {SocketPathLimit.MaxBytes}. No actor can listen here: use a shorter mesh directory.",
                mesh.Path);
        }
    }

    private void CheckSocket(SocketFileInfo socket)
    {
        // First: a path too long is why a socket is missing, and no listener can ever bind there.
        if (!socket.PathWithinLimit)
        {
            Add(socket.Actor, "PathLength", AsyaCheckStatus.Fail, $"The path is {socket.PathLength} bytes; Unix sockets allow {SocketPathLimit.MaxBytes}. Use a shorter mesh directory or actor name.", socket.Path);
        }

        if (!socket.Exists)
        {
            Add(socket.Actor, "SocketExists", AsyaCheckStatus.Fail, $"No socket for '{socket.Actor}': the actor is not running yet (its sidecar creates the socket once its runtime is ready).", socket.Path);
            return;
        }

        if (!socket.IsSocket)
        {
            Add(socket.Actor, "IsSocket", AsyaCheckStatus.Fail, $"'{socket.Path}' is a {socket.FileType}, not a socket; no actor can listen there until it is removed.", socket.Path);
            return;
        }

        Add(socket.Actor, "IsSocket", AsyaCheckStatus.Pass, $"'{socket.Path}' is a socket.", socket.Path);
        var owner = $"owner uid {Describe(socket.OwnerUid)}, gid {Describe(socket.OwnerGid)}, mode {(socket.Mode is { } mode ? SocketModeParser.Format(mode) : "unknown")}";
        if (socket.CanConnect)
        {
            Add(socket.Actor, "Permission", AsyaCheckStatus.Pass, $"This user (uid {MeshInspector.CurrentUserId}) can connect ({owner}).", socket.Path);
        }
        else
        {
            Add(socket.Actor, "Permission", AsyaCheckStatus.Fail,
                $"This user (uid {MeshInspector.CurrentUserId}) cannot connect ({owner}). Run as the mesh's UID, or have the listener create its socket with mode 0666.", socket.Path);
        }

        if (Probe)
        {
            ProbeSocket(socket);
        }
    }

    // A name no socket path can hold (a NUL) is that name's error; the other actors are still checked.
    private SocketFileInfo? Inspect(MeshDirectory mesh, string actor)
    {
        try
        {
            return MeshInspector.Inspect(mesh, actor);
        }
        catch (AsyaTransportException error)
        {
            WriteAsyaError(error, actor);
            return null;
        }
    }

    private void ProbeSocket(SocketFileInfo socket)
    {
        DiagnosticLog.Verbose(this, $"Probing '{socket.Actor}': connecting to {socket.Path} and closing at once (a real sidecar logs an error for it).");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Await(token => new ValueTask<ProbeResult>(SocketProbe.ProbeAsync(socket.Path, ProbeTimeout, token)));
        WriteDebug(FormattableString.Invariant($"Probe of {socket.Path}: {result} after {clock.Elapsed.TotalMilliseconds:0.0} ms."));
        var (status, message) = result switch
        {
            ProbeResult.Live => (AsyaCheckStatus.Pass, "Live: a listener accepted the probe connection (a real sidecar logs an error for it)."),
            ProbeResult.Refused => (AsyaCheckStatus.Fail, "Stale: nothing listens on this socket file. Restart the actor, or remove the file."),
            ProbeResult.Timeout => (AsyaCheckStatus.Warn, "The probe timed out: the listener is alive but not accepting (busy or stuck)."),
            ProbeResult.PermissionDenied => (AsyaCheckStatus.Fail, "Permission denied: the socket belongs to another user."),
            ProbeResult.Missing => (AsyaCheckStatus.Fail, "The socket file vanished during the check."),
            _ => (AsyaCheckStatus.Fail, "The probe failed."),
        };
        Add(socket.Actor, "Probe", status, message, socket.Path);
    }

    private void Add(string? actor, string check, AsyaCheckStatus status, string message, string path)
    {
        var result = new AsyaMeshCheck(actor, check, status, message, path);
        WriteDebug($"{check} {status}: {message}");
        _checks.Add(result);
        if (!Quiet)
        {
            WriteObject(result);
        }
    }

    private static string Describe(uint? id) => id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
}
