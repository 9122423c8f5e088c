namespace AsyaSocket.Module.Tests;

/// <summary>
/// A fresh mesh directory with a short path under the temp directory (sun_path holds 107 bytes), removed with
/// everything in it afterwards. Unlike tests/Shared/TempMesh it needs no AsyaSocket.Core: this suite must not load a
/// second copy of the core beside the one the module imports from its own folder.
/// </summary>
public sealed class TempMeshDirectory : IDisposable
{
    public TempMeshDirectory()
    {
        Path = System.IO.Directory.CreateTempSubdirectory("am").FullName;
    }

    public string Path { get; }

    /// <summary>&lt;mesh&gt;/&lt;actor&gt;.sock, for plain names.</summary>
    public string SocketPath(string actor) => System.IO.Path.Join(Path, actor + ".sock");

    /// <summary>The names in the mesh directory, sorted (hidden temporary sockets included).</summary>
    public string[] Entries() =>
        System.IO.Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
