namespace AsyaSocket.Core.Transport;

/// <summary>
/// Receives the messages sent to one actor name. Transport-neutral: a socket listener, or a queue consumer
/// on a broker. Each message is acknowledged to its sender by the receiver's <see cref="AckPolicy"/>: when
/// buffered, when taken, or when the consumer settles it (<see cref="AcknowledgeAsync"/>, <see cref="RejectAsync"/>).
/// Disposing stops receiving; messages already acknowledged stay readable until drained, so nothing
/// acknowledged is lost, and messages not yet acknowledged go back to their senders unacknowledged.
/// </summary>
public interface IAsyaReceiver : IAsyncDisposable, IDisposable
{
    /// <summary>The actor name received as.</summary>
    string Actor { get; }

    /// <summary>Where senders reach it: the socket path, the queue.</summary>
    string Address { get; }

    /// <summary>What happened so far.</summary>
    ReceiverCounters Counters { get; }

    /// <summary>Completes when the receiver stops: normally when disposed, with an exception when it failed (for example another receiver took its address over).</summary>
    Task Completion { get; }

    /// <summary>The next message; requeued ones first. Throws <c>ReceiverClosed</c> once stopped and drained.</summary>
    ValueTask<AsyaReceivedMessage> ReceiveAsync(CancellationToken cancellationToken = default);

    /// <summary>Every message until the receiver stops and is drained (or <paramref name="cancellationToken"/> fires).</summary>
    IAsyncEnumerable<AsyaReceivedMessage> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Every message already received and buffered, without waiting.</summary>
    IReadOnlyList<AsyaReceivedMessage> DrainBuffered();

    /// <summary>
    /// The consumer is done with <paramref name="message"/>: under <see cref="AckPolicy.Explicit"/> the ack goes to its
    /// sender now (socket: the 0x01 byte; broker: basic.ack) and this completes once it is written; it fails with
    /// <c>SettlementFailed</c> when the sender gave up or the receiver stopped first (the sender may send again).
    /// Under the other policies the message was acknowledged already and this does nothing.
    /// Settling a message twice, or one this receiver did not return, throws <see cref="InvalidOperationException"/>.
    /// </summary>
    ValueTask AcknowledgeAsync(AsyaReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// The consumer gives <paramref name="message"/> up. With <paramref name="requeue"/> it goes back to the front
    /// of this receiver, so the next receive returns it first (broker: basic.nack with requeue); under
    /// <see cref="AckPolicy.Explicit"/> it stays unacknowledged meanwhile, otherwise the wait for room is bounded by
    /// <see cref="ListenOptions.RequeueCapacity"/>. Without, under <see cref="AckPolicy.Explicit"/>, it goes back to its
    /// sender unacknowledged (socket: the connection closes without the 0x01 byte, so the send fails; broker: basic.nack
    /// without requeue); under the other policies it was acknowledged already and is simply dropped.
    /// </summary>
    ValueTask RejectAsync(AsyaReceivedMessage message, bool requeue, CancellationToken cancellationToken = default);
}
