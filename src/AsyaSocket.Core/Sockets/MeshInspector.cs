using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Looks at a mesh directory the way <c>test -S</c> does: from the file system only. It never connects,
/// because a connect probe makes a real sidecar log an error and back off.
/// </summary>
public static class MeshInspector
{
    /// <summary>Every <c>*.sock</c> entry in the mesh directory, sorted by actor name.</summary>
    public static IReadOnlyList<SocketFileInfo> InspectAll(MeshDirectory mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        mesh.EnsureExists();
        return Directory.EnumerateFileSystemEntries(mesh.Path, "*" + MeshDirectory.SocketExtension)
            .Select(path => Describe(System.IO.Path.GetFileNameWithoutExtension(path), path))
            .OrderBy(info => info.Actor, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One actor's socket path, whether or not anything is there.</summary>
    public static SocketFileInfo Inspect(MeshDirectory mesh, string actor)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var path = mesh.PathOf(actor);
        return Describe(System.IO.Path.GetFileNameWithoutExtension(path), path);
    }

    /// <summary>The actor names with a socket file in the mesh directory; empty when it is missing. Never throws.</summary>
    public static IReadOnlyList<string> ActorNames(MeshDirectory mesh)
    {
        try
        {
            return mesh.Exists
                ? Directory.EnumerateFileSystemEntries(mesh.Path, "*" + MeshDirectory.SocketExtension)
                    .Where(path => UnixFileStatus.TryRead(path) is { IsSocket: true })
                    .Select(path => System.IO.Path.GetFileNameWithoutExtension(path))
                    .Order(StringComparer.Ordinal)
                    .ToList()
                : Array.Empty<string>();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }

    private static SocketFileInfo Describe(string actor, string path)
    {
        var length = SocketPathLimit.ByteLength(path);
        var status = UnixFileStatus.TryRead(path);
        var isSocket = status is { IsSocket: true };
        return new SocketFileInfo(
            actor,
            path,
            status is not null,
            isSocket,
            status?.TypeName,
            status?.Mode,
            status?.OwnerUid is { } uid && uid != uint.MaxValue ? uid : null,
            status?.OwnerGid is { } gid && gid != uint.MaxValue ? gid : null,
            isSocket && UnixFileStatus.CanWrite(path),
            length,
            length <= SocketPathLimit.MaxBytes);
    }

    /// <summary>The effective user id of this process, to compare with socket owners.</summary>
    public static uint CurrentUserId => UnixFileStatus.CurrentUserId;
}
