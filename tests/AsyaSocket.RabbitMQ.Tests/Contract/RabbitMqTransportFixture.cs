using AsyaSocket.Testing.Contract;

namespace AsyaSocket.RabbitMQ.Tests.Contract;

/// <summary>
/// The RabbitMQ transport for the contract, on the private test broker: each test gets a namespace and actor
/// names of its own (routing keys carry no namespace, so names are unique on the broker). What differs by
/// design: a send is acknowledged by the broker's publisher confirm, not by the receiver, and the message waits
/// in the actor's durable queue, so it outlives receivers. A second receiver for a consumed queue is refused with
/// ActorInUse unless it asks to compete (RabbitMqListenOptions.Compete), and there is no delayed delivery.
/// </summary>
public sealed class RabbitMqTransportFixture : ITransportFixture
{
    /// <inheritdoc />
    public string Name => "rabbitmq";

    /// <inheritdoc />
    public TransportCapabilities Capabilities { get; } = new() { MessagesOutliveReceivers = true };

    /// <inheritdoc />
    public Task<ITestMesh> CreateMeshAsync() => Task.FromResult<ITestMesh>(new RabbitMqContractMesh());

    private sealed class RabbitMqContractMesh : ITestMesh
    {
        private readonly TestMesh _mesh = new();
        private readonly string _suffix = Guid.NewGuid().ToString("N")[..6];

        public RabbitMqContractMesh() => Transport = _mesh.Transport();

        public IAsyaTransport Transport { get; }

        public string Actor(string role) => $"{role}-{_suffix}";

        public ValueTask DisposeAsync() => _mesh.DisposeAsync();
    }
}

/// <summary>The transport contract, run against the RabbitMQ transport.</summary>
public sealed class RabbitMqTransportContractTests(RabbitMqTransportFixture fixture) : TransportContract<RabbitMqTransportFixture>(fixture)
{
}
