namespace AsyaSocket.Core.Transport;

/// <summary>A snapshot of a receiver's counters.</summary>
/// <param name="Received">Messages read whole.</param>
/// <param name="Acked">Messages acknowledged to their senders.</param>
/// <param name="AckFailed">Messages whose ack could not be written (the sender saw an error and may send again).</param>
/// <param name="Buffered">Messages held and not yet taken.</param>
/// <param name="Rejected">
/// Deliveries given back without an ack, by the transport's reason (the socket transport's are its
/// <c>RejectReason</c> names: EmptyConnection, ReadTimeout, SenderGaveUp, ConsumerRejected, ...).
/// </param>
public sealed record ReceiverCounters(long Received, long Acked, long AckFailed, int Buffered, IReadOnlyDictionary<string, long> Rejected)
{
    /// <summary>Body bytes of the messages held and not yet taken (a socket listener bounds them: <c>MaxBufferedBytes</c>).</summary>
    public long BufferedBytes { get; init; }

    /// <summary>Body bytes reserved by deliveries still arriving (a socket listener bounds them: <c>MaxInFlightBytes</c>).</summary>
    public long InFlightBytes { get; init; }

    /// <summary>The length announced by the last message refused as over the body cap, or null when none was.</summary>
    public long? LastTooLargeLength { get; init; }

    /// <summary>All deliveries given back without an ack.</summary>
    public long RejectedTotal => Rejected.Values.Sum();

    /// <summary>Deliveries given back for one reason.</summary>
    public long RejectedFor(string reason) => Rejected.TryGetValue(reason, out var count) ? count : 0;

    /// <summary>One line with the rejections by reason spelled out (a record would print the dictionary's type name).</summary>
    public override string ToString()
    {
        var reasons = Rejected.Where(pair => pair.Value > 0).OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} = {pair.Value}");
        var detail = RejectedTotal > 0 ? $" ({string.Join(", ", reasons)})" : string.Empty;
        return $"Received = {Received}, Acked = {Acked}, AckFailed = {AckFailed}, Buffered = {Buffered}, Rejected = {RejectedTotal}{detail}";
    }
}
