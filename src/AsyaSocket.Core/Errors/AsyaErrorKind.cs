namespace AsyaSocket.Core.Errors;

/// <summary>What went wrong, in terms a caller can act on. Stable: callers map these to error ids.</summary>
public enum AsyaErrorKind
{
    /// <summary>The mesh directory does not exist (volume not mounted, or wrong path).</summary>
    MeshDirectoryNotFound,
    /// <summary>The actor name cannot be turned into a socket file name.</summary>
    InvalidActorName,
    /// <summary>The socket path is longer than the platform's sun_path limit.</summary>
    SocketPathTooLong,
    /// <summary>No socket file at the path after every dial attempt: the actor is not running.</summary>
    SocketNotFound,
    /// <summary>The socket file exists but nobody accepts on it: a stale file.</summary>
    ConnectionRefused,
    /// <summary>The socket file is owned by another user and is not writable by this one.</summary>
    PermissionDenied,
    /// <summary>Any other connect failure.</summary>
    ConnectFailed,
    /// <summary>The receiver did not ack within the ack timeout.</summary>
    AckTimeout,
    /// <summary>The receiver answered with a byte other than 0x01.</summary>
    UnexpectedAck,
    /// <summary>The receiver closed the connection before sending the ack.</summary>
    PeerClosedBeforeAck,
    /// <summary>Writing the frame failed (the peer went away mid-write).</summary>
    WriteFailed,
    /// <summary>A frame is larger than the configured cap.</summary>
    FrameTooLarge,
    /// <summary>A live listener already owns the socket path.</summary>
    SocketInUse,
    /// <summary>The path exists and is not a socket; it is never deleted.</summary>
    NotASocket,
    /// <summary>Binding the socket failed for another reason.</summary>
    BindFailed,
    /// <summary>The listener was closed; no more messages will arrive.</summary>
    ListenerClosed,
    /// <summary>Another listener replaced this listener's socket file.</summary>
    SocketReplaced,
    /// <summary>The transport has no delayed delivery.</summary>
    DelayedDeliveryNotSupported,
    /// <summary>A body is not a valid Asya envelope.</summary>
    InvalidEnvelope,
}
