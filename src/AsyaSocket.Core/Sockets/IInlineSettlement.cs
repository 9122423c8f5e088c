namespace AsyaSocket.Core.Sockets;

/// <summary>
/// What the thread that settles a message (<see cref="Transport.AckPolicy.Explicit"/>) or takes it
/// (<see cref="Transport.AckPolicy.WhenTaken"/>) does for its connection, so the connection's own task, if it has
/// one, need not be woken to do it.
/// </summary>
internal interface IInlineSettlement
{
    /// <summary>
    /// Called once, on that thread, before the outcome is published. For an ack: whether it was written, or null when
    /// the connection writes it itself. For a rejection the result is not used.
    /// </summary>
    bool? Settle(bool acknowledge);
}
