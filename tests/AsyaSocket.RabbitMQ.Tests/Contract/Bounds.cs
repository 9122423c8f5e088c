namespace AsyaSocket.Testing;

// This project's part of the shared Bounds (tests/Shared/Bounds.cs), for the contract suite.
public static partial class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded machine with a broker.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    /// <summary>Cancelling a blocked send or receive returns within this (the contract's latency rule).</summary>
    public static readonly TimeSpan CancelLatency = TimeSpan.FromMilliseconds(100);
}
