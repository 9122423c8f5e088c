namespace AsyaSocket.Infrastructure;

/// <summary>
/// Which mesh a cmdlet reaches, in the order the module promises: an explicit -Mesh or -MeshPath, else the
/// session's Connect-AsyaMesh, else the sidecar's environment (ASYA_TRANSPORT=rabbitmq with ASYA_RABBITMQ_* and
/// ASYA_NAMESPACE), else the socket default (ASYA_SOCKET_MESH_DIR, else /var/run/asya/mesh).
/// </summary>
internal static class MeshSession
{
    private static AsyaMeshConnection? _current;

    /// <summary>The session's connection from Connect-AsyaMesh, if any.</summary>
    public static AsyaMeshConnection? Current => Volatile.Read(ref _current);

    public static void Set(AsyaMeshConnection connection) => Volatile.Write(ref _current, connection);

    /// <summary>Forgets the session's connection; returns it.</summary>
    public static AsyaMeshConnection? Clear() => Interlocked.Exchange(ref _current, null);

    /// <summary>The mesh for an explicit <paramref name="mesh"/> or <paramref name="meshPath"/> (a file-system path), else the session's, the environment's or the default.</summary>
    public static AsyaMeshConnection Choose(AsyaMeshConnection? mesh, string? meshPath)
    {
        if (mesh is not null)
        {
            return mesh;
        }

        if (meshPath is not null)
        {
            return new AsyaMeshConnection(meshPath, "Parameter");
        }

        if (Current is { } current)
        {
            return current;
        }

        if (RabbitMqBridge.SelectedByEnvironment())
        {
            return new AsyaMeshConnection(RabbitMqBridge.FromEnvironment(), "Environment");
        }

        var (path, fromEnvironment) = TransportFactory.DefaultMeshPath();
        return new AsyaMeshConnection(path, fromEnvironment ? "Environment" : "Default");
    }
}
