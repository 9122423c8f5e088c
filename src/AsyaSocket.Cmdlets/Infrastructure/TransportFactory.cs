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
    public static IAsyaTransport Open(MeshTarget target)
    {
        var defaults = new SocketListenerOptions();
        return new SocketTransport(
            new MeshDirectory(target.MeshPath),
            defaults with
            {
                Force = target.Listener.TakeOver,
                SocketMode = SocketModeParser.Parse(target.Listener.SocketMode),
                MaxBufferedBytes = target.Listener.BufferedBytes ?? defaults.MaxBufferedBytes,
                MaxInFlightBytes = target.Listener.InFlightBytes ?? defaults.MaxInFlightBytes,
            });
    }

    /// <summary>The actor names reachable in the mesh at <paramref name="meshPath"/> right now, for completion; never connects, never throws.</summary>
    public static (string Mesh, IReadOnlyList<string> Actors) KnownActors(string? meshPath)
    {
        var mesh = new MeshDirectory(meshPath);
        return (mesh.Path, MeshInspector.ActorNames(mesh));
    }
}
