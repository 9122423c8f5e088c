namespace AsyaSocket.Core.Transport;

/// <summary>
/// A way to reach a mesh: send to an actor, or receive as one. The socket transport implements it for
/// Compose meshes on one host; broker transports (RabbitMQ, SQS, Pub/Sub) implement it for larger ones.
/// Whoever opened a transport's connection owns it; senders and receivers are released by their users.
/// </summary>
public interface IAsyaTransport
{
    /// <summary>A short name for the transport ("socket", "rabbitmq").</summary>
    string Name { get; }

    /// <summary>Which mesh this reaches, as shown to users: the mesh directory for sockets, a broker's address without credentials.</summary>
    string Mesh { get; }

    /// <summary>A sender to actors of this mesh (a broker opens a channel with publisher confirms for it).</summary>
    IAsyaSender CreateSender(SendOptions? options = null);

    /// <summary>Starts receiving as <paramref name="actor"/>; a transport's own options record (deriving from <see cref="ListenOptions"/>) is honoured too.</summary>
    /// <remarks>Starting may wait (a broker connection is retried); <paramref name="cancellationToken"/> ends that wait.</remarks>
    IAsyaReceiver Listen(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Where <paramref name="actor"/> is reached (for messages and errors); does not check that anything is there.</summary>
    string AddressOf(string actor);
}
