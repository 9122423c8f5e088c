using AsyaSocket.Core;

namespace AsyaSocket.Core.Tests;

/// <summary>A fresh mesh directory under /tmp with a short path (sun_path is 107 bytes), removed afterwards.</summary>
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
