using System.Diagnostics;

namespace AsyaSocket.Testing;

/// <summary>
/// Time limits. None measures throughput: <see cref="Hang"/> only stops a test that would otherwise hang, and
/// <see cref="Quiet"/> is how long "has not happened" is watched. Each test project declares its own
/// <see cref="Hang"/> (and any limits only it needs) in the other part of this class.
/// </summary>
public static partial class Bounds
{
    /// <summary>How long a test watches that something (an ack, a completion) does not happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>Awaits <paramref name="task"/>, failing the test instead of hanging past <see cref="Hang"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task Within(this ValueTask task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="limit"/> (default <see cref="Hang"/>).</summary>
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
