using System.Net.Sockets;

namespace AsyaSocket.Core.Sockets;

/// <summary>What a connect probe found.</summary>
public enum ProbeResult
{
    /// <summary>Something accepted the connection: a live listener.</summary>
    Live,
    /// <summary>Nothing listens on the socket file: it is stale.</summary>
    Refused,
    /// <summary>No socket file.</summary>
    Missing,
    /// <summary>The socket belongs to another user and is not writable by this one.</summary>
    PermissionDenied,
    /// <summary>The connect did not complete in time (a listener with a full backlog).</summary>
    Timeout,
    /// <summary>Another failure.</summary>
    Failed,
}

/// <summary>
/// Tells a live socket from a stale file by connecting and closing at once. Not harmless: a real sidecar
/// logs an error and backs off after such a connection, so callers use it only when asked to.
/// </summary>
public static class SocketProbe
{
    /// <summary>Connects to <paramref name="socketPath"/> and closes without sending anything.</summary>
    public static async Task<ProbeResult> ProbeAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
            return ProbeResult.Live;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Timeout;
        }
        catch (SocketException error)
        {
            return error.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ProbeResult.Refused,
                SocketError.AccessDenied => ProbeResult.PermissionDenied,
                SocketError.AddressNotAvailable => ProbeResult.Missing,
                _ => File.Exists(socketPath) ? ProbeResult.Failed : ProbeResult.Missing,
            };
        }
    }
}
