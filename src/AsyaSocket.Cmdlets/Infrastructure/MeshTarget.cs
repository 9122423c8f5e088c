namespace AsyaSocket.Infrastructure;

/// <summary>Listener settings a cmdlet may ask for, as its users give them (no transport types).</summary>
/// <param name="TakeOver">Take an actor name over even when a live listener owns it (-Force); on a broker: consume a queue that already has consumers.</param>
/// <param name="SocketMode">The socket file's mode as octal text (-SocketMode); null keeps the umask's.</param>
/// <param name="Observe">
/// Watch the actor's messages without taking them (-Tap, Invoke-AsyaFlow): on a broker a private queue that sees
/// copies; a socket mesh has no copies, so there it listens as the actor.
/// </param>
/// <param name="Actor">
/// The receiver is a mock actor's (Start-AsyaActor): on a broker it holds the sidecar's prefetch and acks each
/// message only when the actor settles it, after its results are confirmed; sockets keep their own policy.
/// </param>
/// <param name="BufferedBytes">Body bytes each listener buffers before its acks stop; null keeps the transport's default.</param>
/// <param name="InFlightBytes">Body bytes each listener's arriving frames may hold at once; null keeps the transport's default.</param>
internal sealed record ListenerSettings(bool TakeOver, string? SocketMode, bool Observe = false, bool Actor = false, long? BufferedBytes = null, long? InFlightBytes = null)
{
    public static readonly ListenerSettings None = new(false, null);
}

/// <summary>
/// What a cmdlet's connection parameters name (see <see cref="MeshSession.Choose"/>): a socket mesh directory, or
/// a RabbitMQ mesh. Equal targets share one transport within a command.
/// </summary>
/// <param name="MeshPath">The mesh directory as a file-system path, already resolved from the PowerShell path; unused for a broker.</param>
/// <param name="Listener">The listener settings the transport's receivers get.</param>
/// <param name="Broker">The RabbitMQ mesh, or null for a socket mesh.</param>
internal sealed record MeshTarget(string? MeshPath, ListenerSettings Listener, BrokerMesh? Broker = null)
{
    /// <summary>The target for a chosen mesh.</summary>
    public static MeshTarget For(AsyaMeshConnection mesh, ListenerSettings listener) =>
        mesh.Broker is { } broker ? new MeshTarget(null, listener, broker) : new MeshTarget(mesh.MeshPath, listener);
}
