using AsyaSocket.Testing.Contract;

namespace AsyaSocket.Contract.Tests.Sockets;

/// <summary>The transport contract, run against the socket transport.</summary>
/// <remarks>
/// One collection with the inline-delivery run, so the two never run at once: the latency bounds (cancellation
/// within 100 ms) assume a thread pool free of the other class's work, and on two cores the pool starts with two
/// threads and adds more only about every half second. Side by side on the portable path, one cancellation took
/// 519 ms (one run in five); in one collection, none in eight.
/// </remarks>
[Collection(SocketContract.Collection)]
public sealed class SocketTransportContractTests(SocketTransportFixture fixture) : TransportContract<SocketTransportFixture>(fixture)
{
}

/// <summary>The socket contract runs' shared collection.</summary>
public static class SocketContract
{
    /// <summary>Its name.</summary>
    public const string Collection = "socket transport contract";
}
