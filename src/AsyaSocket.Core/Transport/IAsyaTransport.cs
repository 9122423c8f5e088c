using AsyaSocket.Core.Sockets;

namespace AsyaSocket.Core.Transport;

/// <summary>
/// A way to reach a mesh: send to an actor, or receive as one. The socket transport implements it for
/// Compose meshes on one host; broker transports (RabbitMQ, SQS, Pub/Sub) can implement it for larger ones.
/// </summary>
public interface IAsyaTransport
{
    /// <summary>A short name for the transport ("socket").</summary>
    string Name { get; }

    /// <summary>Sends to actors.</summary>
    IAsyaSender Sender { get; }

    /// <summary>Starts receiving as <paramref name="actor"/>.</summary>
    IAsyaReceiver Listen(string actor, SocketListenerOptions? options = null);

    /// <summary>Where <paramref name="actor"/> is reached (for messages and errors).</summary>
    string AddressOf(string actor);
}
