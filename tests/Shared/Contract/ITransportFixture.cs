using AsyaSocket.Core.Transport;

namespace AsyaSocket.Testing.Contract;

/// <summary>
/// Opens one transport for the contract suite (RabbitMQ.Client's IntegrationFixture is the model): it owns what
/// the transport needs for the whole class (a broker connection, say) and hands each test a mesh of its own.
/// A transport that cannot run here (no broker) makes its tests skip with the reason, never pass.
/// </summary>
public interface ITransportFixture
{
    /// <summary>The transport's name, as the tests report it.</summary>
    string Name { get; }

    /// <summary>The rules this transport keeps differently by design.</summary>
    TransportCapabilities Capabilities { get; }

    /// <summary>A mesh for one test: nothing else sends to or receives as its actors.</summary>
    Task<ITestMesh> CreateMeshAsync();
}

/// <summary>One test's mesh; disposing it removes what the test left (socket files, queues).</summary>
public interface ITestMesh : IAsyncDisposable
{
    /// <summary>The transport, on this test's mesh.</summary>
    IAsyaTransport Transport { get; }

    /// <summary>The actor name to use for <paramref name="role"/> ("a", "sink"): unique to this test on a shared broker.</summary>
    string Actor(string role);
}
