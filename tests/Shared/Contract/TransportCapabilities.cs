namespace AsyaSocket.Testing.Contract;

/// <summary>
/// The rules of the contract that differ between transports by design, stated by each transport's fixture.
/// Every other rule of <see cref="TransportContract{TFixture}"/> holds for every transport.
/// </summary>
public sealed record TransportCapabilities
{
    /// <summary>
    /// A send completes only once the receiving actor holds the message (the socket listener's 0x01 byte), so a
    /// full receiver holds its senders back and a rejection fails the send. Without it a send completes once the
    /// mesh holds the message (a broker's publisher confirm), whatever the receiver does later.
    /// </summary>
    public bool AckMeansReceived { get; init; }

    /// <summary>
    /// Messages wait in the mesh while nobody receives, and what a stopped receiver did not acknowledge reaches the
    /// actor's next receiver (a broker queue). Without it only a live receiver takes messages, and one that stops
    /// gives what it did not acknowledge back to the senders, and a send to an actor nobody receives as fails with ActorNotFound.
    /// </summary>
    public bool MessagesOutliveReceivers { get; init; }

    /// <summary>
    /// Several receivers may listen as one actor at once and share its messages (a broker's competing consumers).
    /// Without it a second receiver for a live one is refused with ActorInUse.
    /// </summary>
    public bool CompetingConsumers { get; init; }

    /// <summary>SendWithDelayAsync delays delivery. Without it, it fails with DelayedDeliveryNotSupported.</summary>
    public bool DelayedDelivery { get; init; }
}
