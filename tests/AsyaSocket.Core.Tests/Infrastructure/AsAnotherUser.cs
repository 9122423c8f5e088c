using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>A fact that needs root and setpriv, to run the peer as another user; skipped (visibly) otherwise.</summary>
public sealed class AsAnotherUserFactAttribute : FactAttribute
{
    public AsAnotherUserFactAttribute()
    {
        Skip = Unix.AnotherUserSkipReason("Needs root to start the peer as another user; the non-root branch of MeshInspectorTests covers EACCES directly.");
    }
}
