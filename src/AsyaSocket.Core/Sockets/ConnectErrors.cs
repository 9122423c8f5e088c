using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

/// <summary>Turns a failed connect into an error that says what it means for an Asya mesh and what to do.</summary>
internal static class ConnectErrors
{
    /// <summary>Failures that another attempt cannot fix: retrying a permission error only wastes 30 s.</summary>
    public static bool IsPermanent(SocketException error) => error.SocketErrorCode is SocketError.AccessDenied;

    public static AsyaTransportException Describe(SocketException error, string socketPath, int attempts, TimeSpan elapsed)
    {
        var prefix = $"connect to {socketPath} after {attempts} attempt{(attempts == 1 ? string.Empty : "s")}: ";
        var status = UnixFileStatus.TryRead(socketPath);
        if (status is null)
        {
            return SocketErrors.Create(
                AsyaErrorKind.ActorNotFound,
                prefix + "no socket file (the actor is not running, or this is the wrong mesh directory).",
                "Start the actor and wait until its socket appears (Test-AsyaMesh), or check the mesh directory.",
                socketPath, attempts, elapsed, error);
        }

        // connect(2) through a link to nothing answers ENOENT, which .NET reports as "Cannot assign requested address".
        if (status.Value.IsSymbolicLink && DanglingLinkTarget(socketPath) is { } target)
        {
            return SocketErrors.Create(
                AsyaErrorKind.ActorNotFound,
                prefix + $"the path is a symbolic link to '{target}', which does not exist (a dangling link: what it points to is gone).",
                "Point the link at the actor's live socket, or remove the link so the actor's sidecar can create its socket there.",
                socketPath, attempts, elapsed, error);
        }

        // connect(2) also answers ECONNREFUSED for a regular file or a directory: that is not a stale socket to remove.
        if (!status.Value.IsSocket && !status.Value.IsSymbolicLink)
        {
            return SocketErrors.Create(
                AsyaErrorKind.AddressOccupied,
                prefix + $"the path is a {status.Value.TypeName}, not a socket.",
                "Check the mesh directory and actor name; the actor's sidecar replaces whatever is at its path when it starts.",
                socketPath, attempts, elapsed, error);
        }

        return error.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => SocketErrors.Create(
                AsyaErrorKind.ConnectionRefused,
                prefix + "connection refused (a stale socket file: nothing is listening on it).",
                "Restart the actor, or remove the stale socket file.",
                socketPath, attempts, elapsed, error),
            SocketError.AccessDenied => SocketErrors.Create(
                AsyaErrorKind.PermissionDenied,
                prefix + "permission denied (the socket is owned by another user and is not writable by this one).",
                "Run as the mesh's UID (every mesh container must share one UID), or have the listener create its socket with mode 0666.",
                socketPath, attempts, elapsed, error),
            _ => SocketErrors.Create(
                AsyaErrorKind.ConnectFailed,
                prefix + error.Message,
                "Check that the actor is running and that the path is its socket.",
                socketPath, attempts, elapsed, error),
        };
    }

    // The link's own target text when following it ends nowhere; null when it resolves.
    private static string? DanglingLinkTarget(string linkPath)
    {
        try
        {
            var link = new FileInfo(linkPath);
            var final = link.ResolveLinkTarget(returnFinalTarget: true);
            return final is null || final.Exists || Directory.Exists(final.FullName) ? null : link.LinkTarget ?? final.FullName;
        }
        catch (IOException)
        {
            // A link loop: as dangling as it gets.
            return new FileInfo(linkPath).LinkTarget ?? linkPath;
        }
    }
}
