using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// The one place the cmdlets get a transport, and so the only one (with Test-AsyaMesh's socket checks) that
/// names socket types. Cmdlets speak to <see cref="IAsyaTransport"/>; a broker transport is chosen here.
/// </summary>
internal static class TransportFactory
{
    /// <summary>The transport for <paramref name="target"/>: the RabbitMQ transport for a broker mesh, else the socket transport over its mesh directory.</summary>
    public static IAsyaTransport Open(MeshTarget target)
    {
        if (target.Broker is { } broker)
        {
            return RabbitMqBridge.Open(broker, target.Listener);
        }

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

    /// <summary>The socket mesh directory used when nothing else is chosen, and whether ASYA_SOCKET_MESH_DIR named it.</summary>
    public static (string Path, bool FromEnvironment) DefaultMeshPath() =>
        (new MeshDirectory(null).Path, Environment.GetEnvironmentVariable(MeshDirectory.EnvironmentVariable) is { Length: > 0 });

    /// <summary>The actor names reachable in the mesh at <paramref name="meshPath"/> right now, for completion; never connects, never throws.</summary>
    public static (string Mesh, IReadOnlyList<string> Actors) KnownActors(string? meshPath)
    {
        var mesh = new MeshDirectory(meshPath);
        return (mesh.Path, MeshInspector.ActorNames(mesh));
    }
}
