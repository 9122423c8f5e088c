using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>The Asya socket transport: Unix sockets in one mesh directory shared by every actor.</summary>
public sealed class SocketTransport : IAsyaTransport
{
    /// <summary>A transport over <paramref name="directory"/>; <paramref name="listenerDefaults"/> are the socket settings (mode, takeover, timeouts) every listener gets.</summary>
    public SocketTransport(MeshDirectory directory, SocketListenerOptions? listenerDefaults = null)
    {
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        ListenerDefaults = listenerDefaults ?? new SocketListenerOptions();
        ListenerDefaults.Validate();
    }

    /// <summary>The mesh directory.</summary>
    public MeshDirectory Directory { get; }

    /// <summary>The socket settings every listener of this transport starts with.</summary>
    public SocketListenerOptions ListenerDefaults { get; }

    /// <inheritdoc />
    public string Name => "socket";

    /// <inheritdoc />
    public string Mesh => Directory.Path;

    /// <inheritdoc />
    public IAsyaSender CreateSender(SendOptions? options = null) => new SocketSender(Directory, options);

    /// <inheritdoc />
    /// <remarks>Binding a socket never waits, so there is nothing for <paramref name="cancellationToken"/> to end but a start that was already cancelled.</remarks>
    public IAsyaReceiver Listen(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return SocketListener.Start(Directory, actor, ListenerDefaults.With(options));
    }

    /// <inheritdoc />
    public string AddressOf(string actor) => Directory.PathOf(actor);
}
