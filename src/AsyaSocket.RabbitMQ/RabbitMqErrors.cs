using System.Net.Sockets;
using System.Security.Authentication;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Codes = AsyaSocket.RabbitMQ.RabbitMqErrorCodes;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// Turns RabbitMQ.Client's failures into the core's neutral kinds with this transport's codes
/// (<see cref="RabbitMqErrorCodes"/>). Messages name the broker by its address without credentials and
/// repeat only the broker's reply text, which never holds a password.
/// </summary>
internal static class RabbitMqErrors
{
    // AMQP reply codes (AMQP 0-9-1 section 1.9).
    private const ushort ConnectionForcedCode = 320;
    private const ushort AccessRefusedCode = 403;
    private const ushort NotFoundCode = 404;
    private const ushort ResourceLockedCode = 405;
    private const ushort PreconditionFailedCode = 406;
    private const ushort NotAllowedCode = 530;

    private const string CheckCredentials = "Check the user name and password (ASYA_RABBITMQ_URL, ASYA_RABBITMQ_USERNAME/_PASSWORD, or -Credential).";
    private const string CheckVhost = "Check that the vhost exists and that the user has permissions on it (rabbitmqctl list_vhosts, set_permissions).";
    private const string StartTheActor = "Start the actor (its sidecar declares and binds its queue), or send with declaring allowed.";

    public static AsyaTransportException Connect(Exception error, RabbitMqMeshOptions options, int attempts, TimeSpan elapsed)
    {
        var address = options.DisplayAddress;
        if (Find<AuthenticationFailureException>(error) is not null || Find<PossibleAuthenticationFailureException>(error) is not null)
        {
            return new AsyaTransportException(AsyaErrorKind.PermissionDenied,
                $"the broker at {address} refused the credentials of user '{options.UserName}'",
                CheckCredentials, address, attempts, elapsed, error, Codes.AccessRefused);
        }

        if (FindShutdown(error) is { ReplyCode: AccessRefusedCode or NotFoundCode or NotAllowedCode } refused)
        {
            return Vhost(refused, options, address, error, attempts, elapsed);
        }

        var tls = Find<AuthenticationException>(error) is not null;
        var socket = Find<SocketException>(error);
        var reason = tls ? "the TLS handshake failed" : Describe(socket, error);
        return new AsyaTransportException(
            socket?.SocketErrorCode == SocketError.ConnectionRefused ? AsyaErrorKind.ConnectionRefused : AsyaErrorKind.ConnectFailed,
            $"cannot reach the RabbitMQ broker at {address} after {attempts} attempt(s): {reason}",
            tls ? "Check the broker's certificate and the host name in the amqps:// URL."
                : "Check that the broker is running and the host and port are right (ASYA_RABBITMQ_URL or ASYA_RABBITMQ_HOST/_PORT).",
            address, attempts, elapsed, error, Codes.BrokerUnreachable);
    }

    /// <summary>A failure of a channel operation (declare, bind, consume, publish) on <paramref name="what"/>.</summary>
    public static AsyaTransportException Operation(Exception error, RabbitMqMeshOptions options, string what, string? address = null)
    {
        address ??= options.DisplayAddress;
        if (error is AsyaTransportException known)
        {
            return known;
        }

        var shutdown = FindShutdown(error);
        if (shutdown is not null && shutdown.Initiator == global::RabbitMQ.Client.ShutdownInitiator.Peer)
        {
            var text = shutdown.ReplyText ?? string.Empty;
            switch (shutdown.ReplyCode)
            {
                case AccessRefusedCode:
                    return new AsyaTransportException(AsyaErrorKind.PermissionDenied,
                        $"the broker refused {what} for user '{options.UserName}': {text}",
                        "Grant the user configure, write and read permissions on the vhost (rabbitmqctl set_permissions), or only check (passive mode) where declaring is not allowed.",
                        address, innerException: error, code: Codes.AccessRefused);
                case NotFoundCode when text.Contains("no exchange", StringComparison.Ordinal):
                    return new AsyaTransportException(AsyaErrorKind.MeshNotFound, $"{what}: {text}",
                        $"No sidecar has declared exchange '{options.Exchange}' on this vhost yet; start one, or allow declaring.",
                        address, innerException: error, code: Codes.ExchangeNotFound);
                case NotFoundCode:
                    return new AsyaTransportException(AsyaErrorKind.ActorNotFound, $"{what}: {text}", StartTheActor,
                        address, innerException: error, code: Codes.QueueNotFound);
                case ResourceLockedCode:
                    return new AsyaTransportException(AsyaErrorKind.ActorInUse, $"the broker refused {what}: {text}",
                        "The queue is exclusive to another connection.", address, innerException: error, code: Codes.QueueLocked);
                case PreconditionFailedCode when text.Contains("message size", StringComparison.OrdinalIgnoreCase):
                    return new AsyaTransportException(AsyaErrorKind.MessageTooLarge, $"the broker refused {what}: {text}",
                        "The body is larger than the broker's max_message_size.", address, innerException: error, code: null);
                case PreconditionFailedCode:
                    return new AsyaTransportException(AsyaErrorKind.AddressOccupied,
                        $"the broker closed the channel for {what}: {text}",
                        "An exchange or queue exists with other properties than the sidecar's (durable topic exchange; durable classic queue without arguments). Only check (passive mode), or fix the declaration.",
                        address, innerException: error, code: Codes.IncompatibleDeclaration);
                case NotAllowedCode:
                    return Vhost(shutdown, options, address, error, 0, TimeSpan.Zero);
                case ConnectionForcedCode:
                    return Lost(error, what, address);
            }

            if (shutdown.ReplyCode >= 500 || shutdown.ReplyCode == 0)
            {
                return Lost(error, what, address);
            }

            return new AsyaTransportException(AsyaErrorKind.ProtocolViolation,
                $"the broker closed the channel for {what}: {shutdown.ReplyCode} {text}",
                null, address, innerException: error, code: Codes.ChannelError);
        }

        if (error is OperationInterruptedException or BrokerUnreachableException or IOException or SocketException or ObjectDisposedException)
        {
            return Lost(error, what, address);
        }

        return new AsyaTransportException(AsyaErrorKind.ProtocolViolation,
            $"{what} failed: {error.Message}", null, address, innerException: error, code: Codes.ChannelError);
    }

    /// <summary>The connection or channel broke mid-operation: what was not confirmed may or may not have arrived.</summary>
    public static AsyaTransportException Lost(Exception? error, string what, string address) =>
        new(AsyaErrorKind.SendFailed,
            $"the connection to the RabbitMQ broker at {address} was lost during {what}",
            "The broker restarted or the network failed; a message that was not confirmed may or may not have been delivered, so send it again.",
            address, innerException: error, code: Codes.ConnectionLost);

    private static AsyaTransportException Vhost(ShutdownEventArgs reason, RabbitMqMeshOptions options, string address, Exception error, int attempts, TimeSpan elapsed)
    {
        var text = reason.ReplyText ?? string.Empty;
        return text.Contains("not found", StringComparison.OrdinalIgnoreCase)
            ? new AsyaTransportException(AsyaErrorKind.MeshNotFound,
                $"the broker at {address} has no vhost '{options.VirtualHost}': {text}", CheckVhost, address, attempts, elapsed, error, Codes.VhostNotFound)
            : new AsyaTransportException(AsyaErrorKind.PermissionDenied,
                $"the broker at {address} refused vhost '{options.VirtualHost}' for user '{options.UserName}': {text}", CheckVhost, address, attempts, elapsed, error, Codes.AccessRefused);
    }

    private static ShutdownEventArgs? FindShutdown(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            // AlreadyClosedException is one of these too.
            if (current is OperationInterruptedException { ShutdownReason: { } reason })
            {
                return reason;
            }
        }

        return null;
    }

    private static T? Find<T>(Exception error) where T : Exception
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }

    private static string Describe(SocketException? socket, Exception error)
    {
        if (socket is not null)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                SocketError.TimedOut => "connect timed out",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                _ => socket.SocketErrorCode.ToString(),
            };
        }

        return Find<TimeoutException>(error) is not null || Find<OperationCanceledException>(error) is not null
            ? "the handshake timed out"
            : "the connection failed";
    }
}
