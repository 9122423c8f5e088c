using System.Diagnostics;
using System.Runtime;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// Whether this process has stopped compiling: no method compiled (first, again optimised, or on stack
/// replacement) for <see cref="Quiet"/>. A .NET peer compiles its hot code again for seconds after it started (the
/// background compiler took a fifth of a pinned receiver's CPU 2-4 s in, none 8 s in), so a pair is measured only
/// once both its .NET sides are quiet: its rate then is the steady state's, not the warm-up's.
/// </summary>
internal sealed class JitQuiet
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private long _compiled = JitInfo.GetCompiledMethodCount();
    private long _since = Stopwatch.GetTimestamp();

    /// <summary>The file a .NET receiver creates once quiet, and its sender waits for (the C peer too): LIMIT_WARM_FILE.</summary>
    public static string? WarmFile => Environment.GetEnvironmentVariable("LIMIT_WARM_FILE") is { Length: > 0 } path ? path : null;

    public bool IsQuiet()
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        if (compiled != _compiled)
        {
            _compiled = compiled;
            _since = Stopwatch.GetTimestamp();
            return false;
        }

        return Stopwatch.GetElapsedTime(_since) >= Quiet;
    }

    /// <summary>
    /// Whether a sender warming up since <paramref name="warmFrom"/> goes on: for at least <paramref name="warmup"/>
    /// seconds, then until this process is quiet and a .NET receiver said it is (its <see cref="WarmFile"/>); 30 s at most.
    /// </summary>
    public bool KeepWarming(long warmFrom, double warmup)
    {
        var elapsed = Stopwatch.GetElapsedTime(warmFrom).TotalSeconds;
        return elapsed < warmup || (elapsed < 30 && (!IsQuiet() || (WarmFile is { } file && !File.Exists(file))));
    }

    /// <summary>
    /// Creates <see cref="WarmFile"/> (when set) if this process is quiet now; true once it was, when there is nothing more
    /// to do. The bare receiver asks between messages, on its one thread.
    /// </summary>
    public bool AnnounceIfQuiet()
    {
        if (!IsQuiet())
        {
            return false;
        }

        if (WarmFile is { } path)
        {
            File.WriteAllText(path, string.Empty);
        }

        return true;
    }

    /// <summary>Creates <see cref="WarmFile"/> (when set) once this process is quiet; started after the core receiver's first message.</summary>
    public static async Task AnnounceWhenQuietAsync(CancellationToken cancellationToken)
    {
        if (WarmFile is null)
        {
            return;
        }

        var jit = new JitQuiet();
        while (!jit.AnnounceIfQuiet())
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
