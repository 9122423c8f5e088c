namespace AsyaSocket.Testing;

// The core tests' part of the shared Bounds (tests/Shared/Bounds.cs): their hang limit, and the bounded latency the
// protocol notes ask of cancellation.
public static partial class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    /// <summary>Cancelling a blocked send, receive or retry sleep returns within this.</summary>
    public static readonly TimeSpan CancelLatency = TimeSpan.FromMilliseconds(100);

    /// <summary>Asserts that <paramref name="task"/> is still pending after <see cref="Quiet"/>.</summary>
    public static async Task AssertStillPending(Task task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Quiet));
        Assert.False(finished == task, $"{what} should still be pending, but it completed ({task.Status}).");
    }
}
