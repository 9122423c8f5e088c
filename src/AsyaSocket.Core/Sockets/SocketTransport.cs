using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>The Asya socket transport: Unix sockets in one mesh directory shared by every actor.</summary>
public sealed class SocketTransport : IAsyaTransport
{
    /// <summary>A transport over <paramref name="mesh"/>.</summary>
    public SocketTransport(MeshDirectory mesh, SocketSenderOptions? senderOptions = null)
    {
        Mesh = mesh ?? throw new ArgumentNullException(nameof(mesh));
        Sender = new SocketSender(mesh, senderOptions);
    }

    /// <summary>The mesh directory.</summary>
    public MeshDirectory Mesh { get; }

    /// <inheritdoc />
    public string Name => "socket";

    /// <inheritdoc />
    public IAsyaSender Sender { get; }

    /// <inheritdoc />
    public IAsyaReceiver Listen(string actor, SocketListenerOptions? options = null) => SocketListener.Start(Mesh, actor, options);

    /// <inheritdoc />
    public string AddressOf(string actor) => System.IO.Path.Join(Mesh.Path, MeshDirectory.SocketFileName(actor));
}
