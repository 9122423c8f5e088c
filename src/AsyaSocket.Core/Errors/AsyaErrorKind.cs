namespace AsyaSocket.Core.Errors;

/// <summary>
/// What went wrong, in terms a caller can act on whatever the transport. Stable: callers map these to
/// error categories. The transport's own name for a failure is <see cref="AsyaTransportException.Code"/>.
/// </summary>
public enum AsyaErrorKind
{
    /// <summary>The mesh is not there (socket: the mesh directory is missing; broker: the virtual host).</summary>
    MeshNotFound,
    /// <summary>The actor name cannot be turned into an address on this transport.</summary>
    InvalidActorName,
    /// <summary>The actor's address is longer than the transport allows (socket: the sun_path limit).</summary>
    AddressTooLong,
    /// <summary>Nothing receives as the actor after every attempt (socket: no socket file; broker: no queue).</summary>
    ActorNotFound,
    /// <summary>The address exists but nobody accepts there (socket: a stale file; broker: the connection was refused).</summary>
    ConnectionRefused,
    /// <summary>This user may not reach or use the address.</summary>
    PermissionDenied,
    /// <summary>Any other failure to reach the receiver.</summary>
    ConnectFailed,
    /// <summary>The receiver did not acknowledge within the ack timeout (socket: the 0x01 byte; broker: the publisher confirm).</summary>
    AckTimeout,
    /// <summary>The peer answered something the protocol does not allow.</summary>
    ProtocolViolation,
    /// <summary>The receiver refused the message or went away before acknowledging it: it was not delivered.</summary>
    NotAcknowledged,
    /// <summary>Writing the message failed part-way.</summary>
    SendFailed,
    /// <summary>A message is larger than the configured cap.</summary>
    MessageTooLarge,
    /// <summary>A live receiver already holds the actor's address.</summary>
    ActorInUse,
    /// <summary>Something that is not this transport's endpoint occupies the actor's address; it is never removed.</summary>
    AddressOccupied,
    /// <summary>Receiving as the actor could not start for another reason.</summary>
    ListenFailed,
    /// <summary>The receiver is closed; no more messages will arrive.</summary>
    ReceiverClosed,
    /// <summary>Another receiver took the actor's address over, so this one stopped.</summary>
    ReceiverReplaced,
    /// <summary>An acknowledgement could not reach the sender (it gave up, or the receiver stopped): it may send again.</summary>
    SettlementFailed,
    /// <summary>The transport has no delayed delivery.</summary>
    DelayedDeliveryNotSupported,
    /// <summary>A body is not a valid Asya envelope.</summary>
    InvalidEnvelope,
    /// <summary>The transport's settings are incomplete or invalid (for example a broker mesh without a namespace, or a malformed URL).</summary>
    InvalidConfiguration,
}
