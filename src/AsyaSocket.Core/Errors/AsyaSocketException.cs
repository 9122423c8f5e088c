namespace AsyaSocket.Core.Errors;

/// <summary>
/// Every failure of the transport. <see cref="Kind"/> says what happened, <see cref="Hint"/> what to do;
/// the path, attempts and elapsed time say where and how long.
/// </summary>
public sealed class AsyaSocketException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AsyaSocketException(
        AsyaErrorKind kind,
        string message,
        string? hint = null,
        string? socketPath = null,
        int attempts = 0,
        TimeSpan elapsed = default,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Hint = hint;
        SocketPath = socketPath;
        Attempts = attempts;
        Elapsed = elapsed;
    }

    /// <summary>What went wrong.</summary>
    public AsyaErrorKind Kind { get; }

    /// <summary>What the user can do about it, when that is known.</summary>
    public string? Hint { get; }

    /// <summary>The socket path involved, when there is one.</summary>
    public string? SocketPath { get; }

    /// <summary>Dial attempts made before the failure (0 when no dial happened).</summary>
    public int Attempts { get; }

    /// <summary>Time spent before the failure.</summary>
    public TimeSpan Elapsed { get; }
}
