using System.Diagnostics;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Time limits. None measures throughput: <see cref="Hang"/> only stops a test that would otherwise hang, and
/// <see cref="Quiet"/> is how long "has not happened" is watched. (Adapted from the core tests' helper.)
/// </summary>
public static class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    /// <summary>How long a test watches that something does not happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    public static Task Within(this ValueTask task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <see cref="Hang"/>.</summary>
    public static async Task Eventually(Func<bool> condition, Func<string> what, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (limit ?? Hang))
            {
                Assert.Fail($"Timed out after {(limit ?? Hang).TotalSeconds} s waiting until {what()}.");
            }

            await Task.Delay(10);
        }
    }

    /// <inheritdoc cref="Eventually(Func{bool}, Func{string}, TimeSpan?)"/>
    public static Task Eventually(Func<bool> condition, string what, TimeSpan? limit = null) => Eventually(condition, () => what, limit);
}

/// <summary>
/// Tests that load the machine or assert a latency bound run here: one at a time, after the parallel tests, so
/// neither disturbs the other on a 2-core machine (and allocation counts see only the test's own work).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "Serial (heavy, latency or allocation bound)";
}
