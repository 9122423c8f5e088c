namespace AsyaSocket.Core.Sockets;

/// <summary>What the file system says of one actor's socket path, found without connecting to it.</summary>
/// <param name="Actor">The actor name (the file name without .sock).</param>
/// <param name="Path">The socket path.</param>
/// <param name="Exists">Something is at the path.</param>
/// <param name="IsSocket">It is a socket (not a regular file, directory or link).</param>
/// <param name="FileType">socket, regular file, directory, symbolic link or special file; null when missing.</param>
/// <param name="Mode">Permission bits, when it exists.</param>
/// <param name="OwnerUid">Owner user id, when known.</param>
/// <param name="OwnerGid">Owner group id, when known.</param>
/// <param name="CanConnect">This process may connect: it is a socket and writable by this user.</param>
/// <param name="PathLength">The path's length in bytes.</param>
/// <param name="PathWithinLimit">The path fits the platform's sun_path limit.</param>
public sealed record SocketFileInfo(
    string Actor,
    string Path,
    bool Exists,
    bool IsSocket,
    string? FileType,
    UnixFileMode? Mode,
    uint? OwnerUid,
    uint? OwnerGid,
    bool CanConnect,
    int PathLength,
    bool PathWithinLimit);
