using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Testing;

/// <summary>
/// A fresh mesh directory under the temp directory with a short path (sun_path is 107 bytes), removed afterwards.
/// <see cref="InOwnParent"/> puts it in a parent directory of its own instead, both mode 0755.
/// </summary>
public sealed class TempMesh : IDisposable
{
    private readonly string? _parent;

    /// <summary>A mesh directory directly under the temp directory (mode as created).</summary>
    public TempMesh()
    {
        Path = Directory.CreateTempSubdirectory("am").FullName;
        Mesh = new MeshDirectory(Path);
    }

    private TempMesh(string parent)
    {
        _parent = parent;
        File.SetUnixFileMode(parent, Unix.Mode("755"));
        Path = System.IO.Path.Join(parent, "m");
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, Unix.Mode("755"));
        Mesh = new MeshDirectory(Path);
    }

    /// <summary>
    /// A mesh directory that lives in its own parent directory, so a test can check that nothing was created next to
    /// the mesh. Mode 0755 (both): a peer run as another user can reach the sockets in it (the socket's own mode
    /// still decides who may connect).
    /// </summary>
    public static TempMesh InOwnParent() => new(Directory.CreateTempSubdirectory("rl").FullName);

    public string Path { get; }

    /// <summary>The directory that holds only the mesh directory (<see cref="InOwnParent"/> meshes only).</summary>
    public string Parent => _parent ?? throw new InvalidOperationException("This mesh was not made with TempMesh.InOwnParent().");

    public MeshDirectory Mesh { get; }

    public string SocketPath(string actor) => Mesh.SocketPathFor(actor);

    /// <summary>A sender for this mesh that gives up quickly (the defaults retry for about 30 s).</summary>
    public SocketSender Sender(int dialAttempts = 3, int dialIntervalMs = 20, TimeSpan? ackTimeout = null) => new(Mesh, new SendOptions
    {
        ConnectAttempts = dialAttempts,
        ConnectRetryInterval = TimeSpan.FromMilliseconds(dialIntervalMs),
        AckTimeout = ackTimeout ?? Bounds.Hang,
    });

    /// <summary>The names in the mesh directory, sorted (hidden temporary sockets included).</summary>
    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_parent ?? Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
