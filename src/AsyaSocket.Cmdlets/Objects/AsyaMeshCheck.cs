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
/// <param name="Actor">The actor checked; null for mesh-wide checks.</param>
/// <param name="Check">What was checked (MeshDirectory, ComposeFile, Transport, SameUser, Actors, SocketExists, IsSocket, Permission, PathLength, Probe).</param>
/// <param name="Status">Pass, Warn or Fail.</param>
/// <param name="Message">What was found, and what to do when it is not a pass.</param>
/// <param name="Path">The path checked.</param>
public sealed record AsyaMeshCheck(string? Actor, string Check, AsyaCheckStatus Status, string Message, string Path)
{
    /// <summary>One line: the status, what was checked and the message.</summary>
    public override string ToString() =>
        Actor is null ? $"{Status} {Check}: {Message}" : $"{Status} {Check} {Actor}: {Message}";
}
