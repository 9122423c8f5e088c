using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;
using AsyaSocket.Testing.Contract;

namespace AsyaSocket.Contract.Tests.Sockets;

/// <summary>
/// The socket transport for the contract: each test gets a fresh mesh directory of its own. Its senders' ack is
/// the listener's 0x01 byte, so <see cref="TransportCapabilities.AckMeansReceived"/>; nothing waits for a receiver
/// that is not there, one listener owns an actor name, and there is no delayed delivery.
/// </summary>
public sealed class SocketTransportFixture : ITransportFixture
{
    /// <inheritdoc />
    public string Name => "socket";

    /// <inheritdoc />
    public TransportCapabilities Capabilities { get; } = new() { AckMeansReceived = true };

    /// <inheritdoc />
    public Task<ITestMesh> CreateMeshAsync() => Task.FromResult<ITestMesh>(new SocketTestMesh());

    private sealed class SocketTestMesh : ITestMesh
    {
        private readonly TempMesh _mesh = new();

        public SocketTestMesh() => Transport = new SocketTransport(_mesh.Mesh);

        public IAsyaTransport Transport { get; }

        // A fresh directory per test: the role is the actor name.
        public string Actor(string role) => role;

        public ValueTask DisposeAsync()
        {
            _mesh.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
