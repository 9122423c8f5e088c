namespace AsyaSocket.Testing;

// This suite's part of the shared Bounds (tests/Shared/Bounds.cs).
public static partial class Bounds
{
    /// <summary>Anything that must happen happens well within this, even on a loaded machine.</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    /// <summary>Ctrl+C (PowerShell.Stop) returns within this: the module's promise to its users.</summary>
    public static readonly TimeSpan Stop = TimeSpan.FromSeconds(1);
}
