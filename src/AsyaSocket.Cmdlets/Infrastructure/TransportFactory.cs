using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// The one place the cmdlets get a transport, and so the only one (with Test-AsyaMesh's socket checks) that
/// names socket types. Cmdlets speak to <see cref="IAsyaTransport"/>; a broker transport is chosen here.
/// </summary>
internal static class TransportFactory
{
    /// <summary>The transport for <paramref name="target"/>: the socket transport over its mesh directory.</summary>
    public static IAsyaTransport Open(MeshTarget target) => new SocketTransport(
        new MeshDirectory(target.MeshPath),
        new SocketListenerOptions
        {
            Force = target.Listener.TakeOver,
            SocketMode = SocketModeParser.Parse(target.Listener.SocketMode),
        });

    /// <summary>The actor names reachable in the mesh at <paramref name="meshPath"/> right now, for completion; never connects, never throws.</summary>
    public static (string Mesh, IReadOnlyList<string> Actors) KnownActors(string? meshPath)
    {
        var mesh = new MeshDirectory(meshPath);
        return (mesh.Path, MeshInspector.ActorNames(mesh));
    }
}
