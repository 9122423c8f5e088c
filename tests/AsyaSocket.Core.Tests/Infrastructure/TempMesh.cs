using AsyaSocket.Core;

namespace AsyaSocket.Core.Tests;

/// <summary>A fresh mesh directory under the temp directory with a short path (sun_path is 107 bytes), removed afterwards.</summary>
public sealed class TempMesh : IDisposable
{
    public TempMesh()
    {
        Path = Directory.CreateTempSubdirectory("am").FullName;
        Mesh = new MeshDirectory(Path);
    }

    public string Path { get; }

    public MeshDirectory Mesh { get; }

    public string SocketPath(string actor) => Mesh.SocketPathFor(actor);

    /// <summary>A sender for this mesh that gives up quickly (the defaults retry for about 30 s).</summary>
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
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
