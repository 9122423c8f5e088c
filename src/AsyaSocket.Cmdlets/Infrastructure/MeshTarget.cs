namespace AsyaSocket.Infrastructure;

/// <summary>Socket listener settings a cmdlet may ask for, as its users give them (no socket types).</summary>
/// <param name="TakeOver">Take an actor name over even when a live listener owns it (-Force).</param>
/// <param name="SocketMode">The socket file's mode as octal text (-SocketMode); null keeps the umask's.</param>
/// <param name="BufferedBytes">Body bytes each listener buffers before its acks stop; null keeps the transport's default.</param>
/// <param name="InFlightBytes">Body bytes each listener's arriving frames may hold at once; null keeps the transport's default.</param>
internal sealed record ListenerSettings(bool TakeOver, string? SocketMode, long? BufferedBytes = null, long? InFlightBytes = null)
{
    public static readonly ListenerSettings None = new(false, null);
}

/// <summary>
/// What a cmdlet's connection parameters name: today a mesh directory (null: ASYA_SOCKET_MESH_DIR, else the
/// default); a broker connection is added here. Equal targets share one transport within a command.
/// </summary>
/// <param name="MeshPath">The mesh directory as a file-system path, already resolved from the PowerShell path.</param>
/// <param name="Listener">The listener settings the transport's receivers get.</param>
internal sealed record MeshTarget(string? MeshPath, ListenerSettings Listener);
