namespace AsyaSocket.Core.Transport;

/// <summary>A delivered message: the receiver holds the whole body and acked it.</summary>
/// <param name="Actor">The actor name sent to.</param>
/// <param name="Address">Where it went: the actor's address on the transport (a socket path, a queue).</param>
/// <param name="BodyLength">Body bytes sent.</param>
/// <param name="Attempts">Attempts it took to reach the receiver.</param>
/// <param name="Elapsed">From the first attempt to the ack.</param>
public sealed record AsyaSendResult(string Actor, string Address, int BodyLength, int Attempts, TimeSpan Elapsed);
