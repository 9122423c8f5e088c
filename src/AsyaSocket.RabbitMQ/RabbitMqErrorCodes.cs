namespace AsyaSocket.RabbitMQ;

/// <summary>
/// The RabbitMQ transport's own names for its failures (<see cref="AsyaTransportException.Code"/>, so the
/// cmdlets' error ids). Stable: scripts match on them. A failure both transports share (AckTimeout,
/// ReceiverClosed, SettlementFailed, DelayedDeliveryNotSupported) keeps the neutral kind's name.
/// </summary>
public static class RabbitMqErrorCodes
{
    /// <summary>The broker cannot be reached (refused, DNS, TLS, timeout), or could not be reached again. Kind ConnectionRefused or ConnectFailed.</summary>
    public const string BrokerUnreachable = nameof(BrokerUnreachable);

    /// <summary>The connection broke while a message waited for its confirm: it may or may not have been delivered. Kind SendFailed.</summary>
    public const string ConnectionLost = nameof(ConnectionLost);

    /// <summary>Wrong credentials, or no permission on the vhost, exchange or queue. Kind PermissionDenied.</summary>
    public const string AccessRefused = nameof(AccessRefused);

    /// <summary>The vhost does not exist. Kind MeshNotFound.</summary>
    public const string VhostNotFound = nameof(VhostNotFound);

    /// <summary>The exchange does not exist (passive mode). Kind MeshNotFound.</summary>
    public const string ExchangeNotFound = nameof(ExchangeNotFound);

    /// <summary>The actor's queue does not exist (passive mode). Kind ActorNotFound.</summary>
    public const string QueueNotFound = nameof(QueueNotFound);

    /// <summary>The broker returned a mandatory message: no queue is bound to its routing key. Kind ActorNotFound.</summary>
    public const string Unroutable = nameof(Unroutable);

    /// <summary>The broker refused a message (publisher-confirm nack). Kind NotAcknowledged.</summary>
    public const string PublishRefused = nameof(PublishRefused);

    /// <summary>An exchange or queue exists with other properties than the sidecar's. Kind AddressOccupied.</summary>
    public const string IncompatibleDeclaration = nameof(IncompatibleDeclaration);

    /// <summary>The queue is exclusive to another connection. Kind ActorInUse.</summary>
    public const string QueueLocked = nameof(QueueLocked);

    /// <summary>The actor's queue already has consumers: listening would compete with the running actor. Kind ActorInUse.</summary>
    public const string QueueHasConsumers = nameof(QueueHasConsumers);

    /// <summary>The broker closed the channel for another reason. Kind ProtocolViolation.</summary>
    public const string ChannelError = nameof(ChannelError);

    /// <summary>The queue name would exceed AMQP's 255 bytes. Kind AddressTooLong.</summary>
    public const string QueueNameTooLong = nameof(QueueNameTooLong);

    /// <summary>The mesh settings are incomplete or invalid. Kind InvalidConfiguration.</summary>
    public const string InvalidMeshConfiguration = nameof(InvalidMeshConfiguration);
}
