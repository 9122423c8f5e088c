using AsyaSocket.Core.Envelopes;

namespace AsyaSocket;

/// <summary>One hop of a flow, as far as Invoke-AsyaFlow could see it.</summary>
/// <param name="Actor">The actor.</param>
/// <param name="At">When it was seen there: the first actor's ack, the last actor's status.updated_at, the arrival at the sink.</param>
/// <param name="Evidence">What the time comes from.</param>
public sealed record AsyaFlowHop(string Actor, DateTimeOffset? At, string Evidence)
{
    /// <summary>One line: the actor, the time when known, and what the time comes from.</summary>
    public override string ToString() =>
        At is { } at ? FormattableString.Invariant($"{Actor} at {at:HH:mm:ss.fff} ({Evidence})") : $"{Actor} ({Evidence})";
}

/// <summary>How a flow ended: the final envelope and the path it took.</summary>
public sealed class AsyaFlowResult
{
    internal AsyaFlowResult(AsyaMessage final, DateTimeOffset sentAt, IReadOnlyList<AsyaFlowHop> hops)
    {
        Message = final;
        SentAt = sentAt;
        Hops = hops;
    }

    /// <summary>The envelope id.</summary>
    public string? Id => Message.Id;

    /// <summary>status.phase of the final envelope (succeeded, failed).</summary>
    public string? Phase => Message.Phase;

    /// <summary>status.reason of the final envelope (Completed, RuntimeError, RouteMismatch, ...).</summary>
    public string? Reason => Message.Reason;

    /// <summary>Where it ended: the sink or the sump.</summary>
    public string EndedAt => Message.Actor;

    /// <summary>The actors it went through (route.prev).</summary>
    public string[] Path => Message.Envelope?.Route.Prev.ToArray() ?? Array.Empty<string>();

    /// <summary>Each hop with the time it was seen, where that is known.</summary>
    public IReadOnlyList<AsyaFlowHop> Hops { get; }

    /// <summary>When the envelope was sent.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>From the send to the arrival at the sink or sump.</summary>
    public TimeSpan Duration => Message.ReceivedAt - SentAt;

    /// <summary>The final payload as PowerShell objects.</summary>
    public object? Payload => Message.Payload;

    /// <summary>status.error.message, when it failed.</summary>
    public string? Error => Message.Envelope?.Status?.Error?.Message;

    /// <summary>The final envelope.</summary>
    public AsyaEnvelope? Envelope => Message.Envelope;

    /// <summary>The final message as received.</summary>
    public AsyaMessage Message { get; }

    /// <summary>One line: the envelope, how it ended, where, along which path and how long it took.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Id}: {Phase}/{Reason} at {EndedAt} via {(Path.Length > 0 ? string.Join(" > ", Path) : "(no actor)")} in {Duration.TotalMilliseconds:0.0} ms");
}
