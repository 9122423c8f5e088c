using System.Management.Automation;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// A test with the class's runspace and a temp mesh of its own. Afterwards every listener and job it started is
/// stopped and removed (so no socket, job or registry entry outlives the test) and the mesh is deleted.
/// </summary>
public abstract class MeshTest(ModuleSession session) : IClassFixture<ModuleSession>, IDisposable
{
    protected ModuleSession Session { get; } = session;

    protected TempMeshDirectory Mesh { get; } = new();

    /// <summary>Runs <paramref name="script"/> with $mesh set to this test's mesh directory (and $args after it).</summary>
    protected IReadOnlyList<PSObject> Run(string script, params object?[] arguments) =>
        Session.Run(WithMesh(script), [Mesh.Path, .. arguments]);

    /// <inheritdoc cref="Run"/>
    protected ScriptResult Try(string script, params object?[] arguments) =>
        Session.Try(WithMesh(script), [Mesh.Path, .. arguments]);

    public void Dispose()
    {
        try
        {
            Session.Run("Get-AsyaListener | Stop-AsyaListener; Get-Job | Remove-Job -Force");
            Problems.AssertNone(Mesh.Entries().Select(entry => $"{entry} is left in the mesh after every listener stopped."), "Socket files left");
        }
        finally
        {
            Mesh.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    // $mesh is the first argument; the script's own arguments are the rest, in $args.
    private static string WithMesh(string script) => "param($mesh)\n" + script;
}
