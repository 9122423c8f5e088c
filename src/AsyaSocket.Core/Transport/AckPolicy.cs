namespace AsyaSocket.Core.Transport;

/// <summary>When a receiver acknowledges a message to its sender.</summary>
public enum AckPolicy
{
    /// <summary>As soon as the message is in the bounded buffer (the sidecar's meaning of delivered). A full buffer holds senders back.</summary>
    WhenBuffered,
    /// <summary>Only when a consumer takes the message, so a consumer that stops early leaves the rest un-acked for the senders to retry.</summary>
    WhenTaken,
    /// <summary>
    /// Only when the consumer settles it: <see cref="IAsyaReceiver.AcknowledgeAsync"/> acks it,
    /// <see cref="IAsyaReceiver.RejectAsync"/> gives it back to its sender or to the front of the receiver.
    /// A message not settled when the receiver stops is given back unacknowledged (AMQP's manual ack).
    /// </summary>
    Explicit,
}
