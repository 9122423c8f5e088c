using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Binds a listening socket at an actor's path without ever deleting what is not ours.
/// The socket is bound under a hidden temporary name, given its mode, then renamed over the real
/// path in one atomic step: no window where the actor is missing or has the wrong mode. The file's
/// identity (device, inode) is remembered, so release deletes the path only while it is still ours.
/// </summary>
internal sealed class SocketFileClaim
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private SocketFileClaim(string path, Socket socket, ulong device, ulong inode)
    {
        Path = path;
        Socket = socket;
        Device = device;
        Inode = inode;
    }

    public string Path { get; }

    public Socket Socket { get; }

    private ulong Device { get; }

    private ulong Inode { get; }

    /// <summary>True while the path still names the socket this claim bound.</summary>
    public bool IsStillOurs => UnixFileStatus.TryRead(Path) is { } status && status.Device == Device && status.Inode == Inode;

    public static SocketFileClaim Bind(string socketPath, bool force, UnixFileMode? mode, int backlog)
    {
        EnsureReplaceable(socketPath, force);
        var directory = System.IO.Path.GetDirectoryName(socketPath)!;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        string? temporaryPath = null;
        try
        {
            temporaryPath = BindTemporary(socket, directory, System.IO.Path.GetFileName(socketPath).Length);
            if (mode is { } requested)
            {
                File.SetUnixFileMode(temporaryPath, requested);
            }

            var status = UnixFileStatus.TryRead(temporaryPath)
                ?? throw SocketErrors.Create(AsyaErrorKind.ListenFailed, $"The socket bound at '{temporaryPath}' vanished.", path: socketPath);
            socket.Listen(backlog);
            socket.Blocking = false; // the accept thread polls, then accepts without blocking
            File.Move(temporaryPath, socketPath, overwrite: true);
            return new SocketFileClaim(socketPath, socket, status.Device, status.Inode);
        }
        catch (Exception error) when (error is not AsyaTransportException)
        {
            socket.Dispose();
            throw SocketErrors.Create(
                // bind(2) in a directory this user cannot write fails with EACCES as a SocketException, not UnauthorizedAccessException.
                error is UnauthorizedAccessException or SocketException { SocketErrorCode: SocketError.AccessDenied } ? AsyaErrorKind.PermissionDenied : AsyaErrorKind.ListenFailed,
                $"Cannot listen at '{socketPath}': {error.Message}",
                "Check that this user can write to the mesh directory.",
                socketPath, innerException: error);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        finally
        {
            // Normally already renamed away; after a failure, do not leave the hidden file behind.
            if (temporaryPath is not null && UnixFileStatus.TryRead(temporaryPath) is { IsSocket: true })
            {
                TryDelete(temporaryPath);
            }
        }
    }

    /// <summary>Deletes the socket file if it is still ours; a listener that took the name over keeps its file.</summary>
    public void Release()
    {
        if (IsStillOurs)
        {
            TryDelete(Path);
        }
    }

    private static void EnsureReplaceable(string socketPath, bool force)
    {
        if (UnixFileStatus.TryRead(socketPath) is not { } existing)
        {
            return;
        }

        if (!existing.IsSocket)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.AddressOccupied,
                $"'{socketPath}' exists and is a {existing.TypeName}, not a socket; it is never deleted.",
                "Move the file away, or listen under another actor name.",
                socketPath);
        }

        if (!force && IsLive(socketPath))
        {
            throw SocketErrors.Create(
                AsyaErrorKind.ActorInUse,
                $"A live listener already owns '{socketPath}'.",
                "Stop that listener, listen under another name, or use -Force to take the name over.",
                socketPath);
        }
    }

    // A connect probe: the only way to tell a live socket from a stale file. Only used when a file is present.
    private static bool IsLive(string socketPath)
    {
        switch (SocketProbe.ProbeAsync(socketPath, ProbeTimeout).GetAwaiter().GetResult())
        {
            case ProbeResult.Refused or ProbeResult.Missing:
                return false;
            case ProbeResult.PermissionDenied:
                throw SocketErrors.Create(
                    AsyaErrorKind.PermissionDenied,
                    $"'{socketPath}' belongs to another user; this one cannot tell whether it is live or replace it.",
                    "Run as the mesh's UID, or listen under another actor name.",
                    socketPath);
            default:
                // Live, or a listener whose backlog is full (a timeout): either way, not ours to take.
                return true;
        }
    }

    private static string BindTemporary(Socket socket, string directory, int finalNameLength)
    {
        // Never longer than the final name, so the temporary path fits wherever the real one does.
        var hexLength = Math.Clamp(finalNameLength - 1, 4, 16);
        for (var attempt = 0; ; attempt++)
        {
            var name = "." + RandomHex(hexLength);
            var path = System.IO.Path.Join(directory, name);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                return path;
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.AddressAlreadyInUse && attempt < 8)
            {
            }
        }
    }

    // Up to 30 lowercase hex digits, every one random and unpredictable, so nobody can take the name first.
    // Guid.NewGuid draws from the system's secure random source on Unix; RandomNumberGenerator would map OpenSSL
    // into every listening process (9 MiB of RSS).
    internal static string RandomHex(int length)
    {
        // 32 hex digits, of which the 13th (the version, always 4) and the 17th (the variant, 8 to b) are fixed.
        var hex = Guid.NewGuid().ToString("N");
        return string.Concat(hex.AsSpan(0, 12), hex.AsSpan(13, 3), hex.AsSpan(17))[..length];
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
