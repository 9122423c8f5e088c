using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Where a mesh's sockets live, and how an actor name becomes a socket path there:
/// <c>&lt;mesh&gt;/&lt;GoPathBase(name)&gt;.sock</c>, as the sidecar computes it.
/// </summary>
public sealed class MeshDirectory
{
    /// <summary>The environment variable the sidecar reads for its mesh directory.</summary>
    public const string EnvironmentVariable = "ASYA_SOCKET_MESH_DIR";

    /// <summary>The sidecar's default mesh directory.</summary>
    public const string DefaultPath = "/var/run/asya/mesh";

    /// <summary>The socket file extension.</summary>
    public const string SocketExtension = ".sock";

    /// <summary>Uses <paramref name="path"/>, else <c>ASYA_SOCKET_MESH_DIR</c>, else the default.</summary>
    public MeshDirectory(string? path = null)
    {
        Path = ResolvePath(path);
    }

    /// <summary>The mesh directory's full path.</summary>
    public string Path { get; }

    /// <summary>True when the directory exists.</summary>
    public bool Exists => Directory.Exists(Path);

    /// <summary>An explicit path, else the environment variable, else the default; made absolute.</summary>
    public static string ResolvePath(string? path)
    {
        var chosen = !string.IsNullOrWhiteSpace(path)
            ? path
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : DefaultPath;
        return System.IO.Path.GetFullPath(chosen);
    }

    /// <summary>The socket file name the sidecar uses for a queue or actor name.</summary>
    public static string SocketFileName(string actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Contains('\0'))
        {
            throw SocketErrors.Create(
                AsyaErrorKind.InvalidActorName,
                "Actor name contains a NUL character, which no socket path can hold.",
                "Remove the NUL character from the actor name.");
        }

        return GoPathBase.Of(actor) + SocketExtension;
    }

    /// <summary>The actor's socket path in this mesh, whether or not it fits the sun_path limit (for display and inspection).</summary>
    public string PathOf(string actor) => System.IO.Path.Join(Path, SocketFileName(actor));

    /// <summary>The actor's socket path in this mesh, checked against the sun_path limit (to bind or connect).</summary>
    public string SocketPathFor(string actor)
    {
        var socketPath = PathOf(actor);
        SocketPathLimit.EnsureFits(socketPath);
        return socketPath;
    }

    /// <summary>Throws <see cref="AsyaErrorKind.MeshNotFound"/> when the directory is missing.</summary>
    public void EnsureExists()
    {
        if (!Exists)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.MeshNotFound,
                $"Mesh directory '{Path}' does not exist; it must exist before actors start.",
                $"Mount the mesh volume at '{Path}', create the directory, or point {EnvironmentVariable} (or -MeshPath) at the right one.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Path;
}
