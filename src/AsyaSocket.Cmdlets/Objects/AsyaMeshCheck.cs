namespace AsyaSocket;

/// <summary>The outcome of one check.</summary>
public enum AsyaCheckStatus
{
    /// <summary>All is well.</summary>
    Pass,
    /// <summary>Works, but something deserves a look.</summary>
    Warn,
    /// <summary>Broken.</summary>
    Fail,
}

/// <summary>One result of Test-AsyaMesh.</summary>
public sealed class AsyaMeshCheck
{
    /// <summary>Creates a result.</summary>
    public AsyaMeshCheck(string? actor, string check, AsyaCheckStatus status, string message, string path)
    {
        Actor = actor;
        Check = check;
        Status = status;
        Message = message;
        Path = path;
    }

    /// <summary>The actor checked; null for mesh-wide checks.</summary>
    public string? Actor { get; }

    /// <summary>What was checked (MeshDirectory, ComposeFile, Transport, SameUser, Actors, SocketExists, IsSocket, Permission, PathLength, Probe).</summary>
    public string Check { get; }

    /// <summary>Pass, Warn or Fail.</summary>
    public AsyaCheckStatus Status { get; }

    /// <summary>What was found, and what to do when it is not a pass.</summary>
    public string Message { get; }

    /// <summary>The path checked.</summary>
    public string Path { get; }
}
