using AsyaSocket.Testing.Contract;

namespace AsyaSocket.Contract.Tests.Sockets;

/// <summary>The transport contract, run against the socket transport.</summary>
public sealed class SocketTransportContractTests(SocketTransportFixture fixture) : TransportContract<SocketTransportFixture>(fixture)
{
}
