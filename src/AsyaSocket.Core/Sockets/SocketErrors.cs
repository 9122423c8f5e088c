using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// The socket transport's failures: a neutral kind with the socket's own name for it as the code, so
/// error ids stay the ones scripts already match (SocketNotFound, NotASocket, FrameTooLarge, ...).
/// </summary>
internal static class SocketErrors
{
    public static AsyaTransportException Create(
        AsyaErrorKind kind,
        string message,
        string? hint = null,
        string? path = null,
        int attempts = 0,
        TimeSpan elapsed = default,
        Exception? innerException = null) =>
        new(kind, message, hint, path, attempts, elapsed, innerException, CodeOf(kind));

    /// <summary>The socket transport's name for a kind; null where the kind's own name is it.</summary>
    public static string? CodeOf(AsyaErrorKind kind) => kind switch
    {
        AsyaErrorKind.MeshNotFound => "MeshDirectoryNotFound",
        AsyaErrorKind.AddressTooLong => "SocketPathTooLong",
        AsyaErrorKind.ActorNotFound => "SocketNotFound",
        AsyaErrorKind.ProtocolViolation => "UnexpectedAck",
        AsyaErrorKind.NotAcknowledged => "PeerClosedBeforeAck",
        AsyaErrorKind.SendFailed => "WriteFailed",
        AsyaErrorKind.MessageTooLarge => "FrameTooLarge",
        AsyaErrorKind.ActorInUse => "SocketInUse",
        AsyaErrorKind.AddressOccupied => "NotASocket",
        AsyaErrorKind.ListenFailed => "BindFailed",
        AsyaErrorKind.ReceiverClosed => "ListenerClosed",
        AsyaErrorKind.ReceiverReplaced => "SocketReplaced",
        AsyaErrorKind.SettlementFailed => "AckFailed",
        _ => null,
    };
}
