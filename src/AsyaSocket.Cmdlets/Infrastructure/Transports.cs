using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// Where cmdlets get their transport. Cmdlets speak to <see cref="IAsyaTransport"/>, never to sockets,
/// so a broker transport can be added here without touching them.
/// </summary>
internal static class Transports
{
    public static IAsyaTransport For(MeshDirectory mesh) => new SocketTransport(mesh);
}
