namespace AsyaSocket;

/// <summary>What Send-AsyaMessage -PassThru returns: a message the receiver acknowledged.</summary>
public sealed class AsyaDelivery
{
    /// <summary>Creates a delivery record.</summary>
    public AsyaDelivery(string actor, string? id, int length, int attempts, TimeSpan elapsed, string address)
    {
        Actor = actor;
        Id = id;
        Length = length;
        Attempts = attempts;
        Elapsed = elapsed;
        Address = address;
    }

    /// <summary>The actor sent to.</summary>
    public string Actor { get; }

    /// <summary>The envelope id (null for raw bodies that are not envelopes).</summary>
    public string? Id { get; }

    /// <summary>Bytes sent.</summary>
    public int Length { get; }

    /// <summary>Connect attempts it took.</summary>
    public int Attempts { get; }

    /// <summary>From the first connect attempt to the ack.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Where it went (the socket path).</summary>
    public string Address { get; }
}
