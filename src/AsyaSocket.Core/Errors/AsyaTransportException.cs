namespace AsyaSocket.Core.Errors;

/// <summary>
/// Every failure of a transport. <see cref="Kind"/> says what happened in terms any transport shares,
/// <see cref="Code"/> the transport's own name for it, <see cref="Hint"/> what to do; the address,
/// attempts and elapsed time say where and how long.
/// </summary>
public sealed class AsyaTransportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AsyaTransportException(
        AsyaErrorKind kind,
        string message,
        string? hint = null,
        string? address = null,
        int attempts = 0,
        TimeSpan elapsed = default,
        Exception? innerException = null,
        string? code = null)
        : base(message, innerException)
    {
        Kind = kind;
        Hint = hint;
        Address = address;
        Attempts = attempts;
        Elapsed = elapsed;
        Code = code;
    }

    /// <summary>What went wrong, the same for every transport.</summary>
    public AsyaErrorKind Kind { get; }

    /// <summary>The transport's own name for the failure (the socket transport's <c>SocketNotFound</c>, <c>NotASocket</c>, ...); null when it has none beyond <see cref="Kind"/>.</summary>
    public string? Code { get; }

    /// <summary>The stable id scripts match on: <see cref="Code"/> when the transport gives one, else the kind's name.</summary>
    public string ErrorId => Code ?? Kind.ToString();

    /// <summary>What the user can do about it, when that is known.</summary>
    public string? Hint { get; }

    /// <summary>Where it happened: the actor's address on the transport (a socket path, a queue), when there is one.</summary>
    public string? Address { get; }

    /// <summary>Attempts made to reach the receiver before the failure (0 when none was made).</summary>
    public int Attempts { get; }

    /// <summary>Time spent before the failure.</summary>
    public TimeSpan Elapsed { get; }
}
