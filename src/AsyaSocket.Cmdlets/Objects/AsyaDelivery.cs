namespace AsyaSocket;

/// <summary>What Send-AsyaMessage -PassThru returns: a message the receiver acknowledged.</summary>
/// <param name="Actor">The actor sent to.</param>
/// <param name="Id">The envelope id (null for raw bodies that are not envelopes).</param>
/// <param name="Length">Bytes sent.</param>
/// <param name="Attempts">Connect attempts it took.</param>
/// <param name="Elapsed">From the first connect attempt to the ack.</param>
/// <param name="Address">Where it went (the socket path).</param>
public sealed record AsyaDelivery(string Actor, string? Id, int Length, int Attempts, TimeSpan Elapsed, string Address)
{
    /// <summary>One line: what went where, how big, how many attempts, how long.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Id ?? "(raw body)"} to {Actor}: {Length} bytes, {Attempts} attempt(s), {Elapsed.TotalMilliseconds:0.0} ms");
}
