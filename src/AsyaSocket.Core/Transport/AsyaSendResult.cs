namespace AsyaSocket.Core.Transport;

/// <summary>A delivered message: the receiver holds the whole body and acked it.</summary>
/// <param name="Actor">The actor name sent to.</param>
/// <param name="Address">Where it went: the socket path on this transport.</param>
/// <param name="BodyLength">Body bytes sent.</param>
/// <param name="Attempts">Dial attempts it took.</param>
/// <param name="Elapsed">From the first dial to the ack.</param>
public sealed record AsyaSendResult(string Actor, string Address, int BodyLength, int Attempts, TimeSpan Elapsed);
