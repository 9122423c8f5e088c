namespace AsyaSocket.Core.Sockets;

/// <summary>
/// What the consumer's thread does for a connection as it settles a message (<see cref="Transport.AckPolicy.Explicit"/>),
/// so the connection's own task, if it has one, need not be woken to do it.
/// </summary>
internal interface IInlineSettlement
{
    /// <summary>
    /// Called once, on the settling thread, before the outcome is published. For an ack: whether it was written, or null
    /// when the connection writes it itself. For a rejection the result is not used.
    /// </summary>
    bool? Settle(bool acknowledge);

    /// <summary>Called when the consumer gave the message back into the buffer unsettled (a requeue).</summary>
    void Returned();
}
