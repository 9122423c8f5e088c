using AsyaSocket.Core;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// A fresh mesh directory with a short path (sun_path is 107 bytes), removed afterwards. It lives in its own parent
/// directory, so a test can check that nothing was created next to the mesh. Mode 0755: a peer run as another user
/// can reach the sockets in it (the socket's own mode still decides who may connect).
/// </summary>
public sealed class TempMesh : IDisposable
{
    public TempMesh()
    {
        Parent = Directory.CreateTempSubdirectory("rl").FullName;
        File.SetUnixFileMode(Parent, (UnixFileMode)Convert.ToInt32("755", 8));
        Path = System.IO.Path.Join(Parent, "m");
        Directory.CreateDirectory(Path);
        File.SetUnixFileMode(Path, (UnixFileMode)Convert.ToInt32("755", 8));
        Mesh = new MeshDirectory(Path);
    }

    /// <summary>The directory that holds only the mesh directory.</summary>
    public string Parent { get; }

    public string Path { get; }

    public MeshDirectory Mesh { get; }

    public string SocketPath(string actor) => Mesh.SocketPathFor(actor);

    /// <summary>A sender that gives up quickly (the defaults retry for about 30 s).</summary>
    public SocketSender Sender(int dialAttempts = 3, int dialIntervalMs = 20, TimeSpan? ackTimeout = null) => new(Mesh, new SocketSenderOptions
    {
        DialAttempts = dialAttempts,
        DialRetryInterval = TimeSpan.FromMilliseconds(dialIntervalMs),
        AckTimeout = ackTimeout ?? Bounds.Hang,
    });

    /// <summary>The names in the mesh directory, sorted (hidden temporary sockets included).</summary>
    public string[] Entries() => Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Parent, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
