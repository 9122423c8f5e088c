using AsyaSocket.Core.Transport;
using AsyaSocket.Testing.Contract;

namespace AsyaSocket.Contract.Tests.Sockets;

/// <summary>
/// The transport contract again with <see cref="ListenOptions.InlineDelivery"/> on every listener: consumers then run
/// on the listener's own threads, and every rule (FIFO, ack once, drain after stop, backpressure, cancellation)
/// must still hold.
/// </summary>
[Collection(SocketContract.Collection)]
public sealed class InlineDeliveryContractTests(InlineDeliveryFixture fixture) : TransportContract<InlineDeliveryFixture>(fixture)
{
}

/// <summary>The socket fixture, with every listen asking for inline delivery.</summary>
public sealed class InlineDeliveryFixture : ITransportFixture
{
    private readonly SocketTransportFixture _sockets = new();

    /// <inheritdoc />
    public string Name => "socket, inline delivery";

    /// <inheritdoc />
    public TransportCapabilities Capabilities => _sockets.Capabilities;

    /// <inheritdoc />
    public async Task<ITestMesh> CreateMeshAsync() => new InlineMesh(await _sockets.CreateMeshAsync());

    private sealed class InlineMesh(ITestMesh inner) : ITestMesh
    {
        public IAsyaTransport Transport { get; } = new InlineTransport(inner.Transport);

        public string Actor(string role) => inner.Actor(role);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class InlineTransport(IAsyaTransport inner) : IAsyaTransport
    {
        public string Name => inner.Name;

        public string Mesh => inner.Mesh;

        public IAsyaSender CreateSender(SendOptions? options = null) => inner.CreateSender(options);

        public IAsyaReceiver Listen(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default) =>
            inner.Listen(actor, (options ?? new ListenOptions()) with { InlineDelivery = true }, cancellationToken);

        public string AddressOf(string actor) => inner.AddressOf(actor);
    }
}
