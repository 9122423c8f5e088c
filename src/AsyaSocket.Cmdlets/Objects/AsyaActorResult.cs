namespace AsyaSocket;

/// <summary>What a mock actor did with one message: the job output of Start-AsyaActor.</summary>
public sealed class AsyaActorResult
{
    /// <summary>Creates a result.</summary>
    public AsyaActorResult(string actor, string? id, string outcome, string[] sentTo, TimeSpan elapsed, string? error)
    {
        Actor = actor;
        Id = id;
        Outcome = outcome;
        SentTo = sentTo;
        Elapsed = elapsed;
        Error = error;
    }

    /// <summary>The actor that processed it.</summary>
    public string Actor { get; }

    /// <summary>The envelope id.</summary>
    public string? Id { get; }

    /// <summary>Succeeded, Failed (the script threw), RouteMismatch, ParseError or SendFailed.</summary>
    public string Outcome { get; }

    /// <summary>Where the results went: next actors, the sink or the sump.</summary>
    public string[] SentTo { get; }

    /// <summary>Processing and sending time.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The error, when there was one.</summary>
    public string? Error { get; }

    /// <summary>One line: the envelope, the outcome, where it went and the error.</summary>
    public override string ToString()
    {
        var sentTo = SentTo.Length > 0 ? $" -> {string.Join(", ", SentTo)}" : string.Empty;
        var error = Error is { Length: > 0 } ? $" ({Error})" : string.Empty;
        return $"{Actor} {Id ?? "(not an envelope)"}: {Outcome}{sentTo}{error}";
    }
}
