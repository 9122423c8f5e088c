namespace AsyaSocket.Testing;

// The reliability tests' part of the shared Bounds (tests/Shared/Bounds.cs): their hang limit.
public static partial class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);
}
