using AsyaSocket.Testing;

namespace AsyaSocket.Module.Tests;

/// <summary>Remove-Module stops what the module started: its listeners end and their socket files go.</summary>
public sealed class ModuleRemovalTests : IDisposable
{
    private readonly TempMeshDirectory _mesh = new();

    public void Dispose() => _mesh.Dispose();

    [Fact]
    public void Removing_the_module_stops_its_listeners_and_removes_their_sockets()
    {
        using var session = new ModuleSession();
        var job = session.Run("Start-AsyaListener -Actor a, b -MeshPath $args[0]", _mesh.Path).Single();
        Assert.True(Unix.IsSocket(_mesh.SocketPath("a")) && Unix.IsSocket(_mesh.SocketPath("b")), "The listener's sockets were not there to begin with.");

        var state = session.Run("Remove-Module AsyaSocket; $args[0].State.ToString(); @(Get-Command -Module AsyaSocket).Count", job);

        Assert.Equal("Stopped", state[0].BaseObject);
        Assert.Equal(0, Convert.ToInt32(state[1].BaseObject));
        Assert.Empty(_mesh.Entries());
    }
}
