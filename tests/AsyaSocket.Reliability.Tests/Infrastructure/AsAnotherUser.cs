using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>A fact that needs root and setpriv, to run a peer as another user; skipped (visibly, saying why) otherwise.</summary>
public sealed class AsAnotherUserFactAttribute : FactAttribute
{
    public AsAnotherUserFactAttribute()
    {
        Skip = Unix.AnotherUserSkipReason(NotRoot);
    }

    internal const string NotRoot =
        "Needs root to start a peer as another user (setpriv); as a normal user, socket permissions are covered by the core tests' MeshInspector cases.";
}

/// <summary>The theory form of <see cref="AsAnotherUserFactAttribute"/>.</summary>
public sealed class AsAnotherUserTheoryAttribute : TheoryAttribute
{
    public AsAnotherUserTheoryAttribute()
    {
        Skip = Unix.AnotherUserSkipReason(AsAnotherUserFactAttribute.NotRoot);
    }
}
