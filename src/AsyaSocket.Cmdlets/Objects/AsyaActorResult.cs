namespace AsyaSocket;

/// <summary>
/// What a mock actor did with one message: the job output of Start-AsyaActor. When the actor could not pass
/// the message on (it was stopped, or neither the next hop nor the sump could take it) the result keeps the
/// message itself in <see cref="Kept"/>: pipe the result to Send-AsyaMessage to send it again.
/// </summary>
public sealed class AsyaActorResult
{
    /// <summary>Creates a result.</summary>
    public AsyaActorResult(string actor, string? id, string outcome, string[] sentTo, TimeSpan elapsed, string? error, AsyaMessage? kept = null, string? meshPath = null)
    {
        Actor = actor;
        Id = id;
        Outcome = outcome;
        SentTo = sentTo;
        Elapsed = elapsed;
        Error = error;
        Kept = kept;
        MeshPath = meshPath ?? kept?.MeshPath;
    }

    /// <summary>The actor that processed it.</summary>
    public string Actor { get; }

    /// <summary>The envelope id.</summary>
    public string? Id { get; }

    /// <summary>Succeeded, Failed (the script threw), RouteMismatch, ParseError, SendFailed or Stopped.</summary>
    public string Outcome { get; }

    /// <summary>Where the results went: next actors, the sink or the sump.</summary>
    public string[] SentTo { get; }

    /// <summary>Processing and sending time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The error, when there was one.</summary>
    public string? Error { get; }

    /// <summary>
    /// The message exactly as the actor acknowledged it, when it went nowhere else: the actor was stopped
    /// before passing it on, or neither its destination nor the sump could take it. Null otherwise.
    /// </summary>
    public AsyaMessage? Kept { get; }

    /// <summary>The mesh directory, so a kept message piped to Send-AsyaMessage goes back to the same mesh.</summary>
    public string? MeshPath { get; }

    /// <summary>One line: the envelope, the outcome, where it went and the error.</summary>
    public override string ToString()
    {
        var sentTo = SentTo.Length > 0 ? $" -> {string.Join(", ", SentTo)}" : string.Empty;
        var error = Error is { Length: > 0 } ? $" ({Error})" : string.Empty;
        return $"{Actor} {Id ?? "(not an envelope)"}: {Outcome}{sentTo}{error}";
    }
}
