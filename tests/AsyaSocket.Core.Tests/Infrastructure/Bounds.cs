using System.Diagnostics;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// The time limits the tests use. None measures throughput: <see cref="Hang"/> only stops a test that would
/// otherwise hang, <see cref="Quiet"/> is how long "has not happened" is watched, and <see cref="CancelLatency"/>
/// is the bounded latency the protocol notes ask of cancellation.
/// </summary>
public static class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    /// <summary>How long a test watches that something (an ack, a completion) does not happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>Cancelling a blocked send, receive or retry sleep returns within this.</summary>
    public static readonly TimeSpan CancelLatency = TimeSpan.FromMilliseconds(100);

    /// <summary>Awaits <paramref name="task"/>, failing the test instead of hanging past <see cref="Hang"/>.</summary>
    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    /// <inheritdoc cref="Within{T}(Task{T}, TimeSpan?)"/>
    public static Task Within(this ValueTask task, TimeSpan? limit = null) => task.AsTask().WaitAsync(limit ?? Hang);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <see cref="Hang"/>.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Hang)
            {
                Assert.Fail($"Timed out after {Hang.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Asserts that <paramref name="task"/> is still pending after <see cref="Quiet"/>.</summary>
    public static async Task AssertStillPending(Task task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Quiet));
        Assert.False(finished == task, $"{what} should still be pending, but it completed ({task.Status}).");
    }
}
