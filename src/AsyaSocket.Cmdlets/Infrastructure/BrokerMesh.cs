namespace AsyaSocket.Infrastructure;

/// <summary>
/// A RabbitMQ mesh as the module holds it, in its own types (AsyaSocket.RabbitMQ loads only when one is used).
/// The password is kept here for connecting and never shown: <see cref="ToString"/> and every property a user
/// sees leave it out. Two equal meshes (credentials included) share one connection.
/// </summary>
internal sealed class BrokerMesh : IEquatable<BrokerMesh>
{
    public BrokerMesh(Uri broker, string userName, string password, string @namespace, string exchange, ushort prefetch, bool passiveOnly)
    {
        Broker = broker;
        UserName = userName;
        Password = password;
        Namespace = @namespace;
        Exchange = exchange;
        Prefetch = prefetch;
        PassiveOnly = passiveOnly;
    }

    /// <summary>The broker without user info: scheme, host, port, vhost.</summary>
    public Uri Broker { get; }

    public string UserName { get; }

    public string Password { get; }

    public string Namespace { get; }

    public string Exchange { get; }

    public ushort Prefetch { get; }

    public bool PassiveOnly { get; }

    public bool Equals(BrokerMesh? other) =>
        other is not null && Broker == other.Broker && UserName == other.UserName && Password == other.Password &&
        Namespace == other.Namespace && Exchange == other.Exchange && Prefetch == other.Prefetch && PassiveOnly == other.PassiveOnly;

    public override bool Equals(object? obj) => Equals(obj as BrokerMesh);

    public override int GetHashCode() => HashCode.Combine(Broker, UserName, Namespace, Exchange, Prefetch, PassiveOnly);

    /// <summary>The broker and namespace; never the password.</summary>
    public override string ToString() => $"{Broker} namespace {Namespace}";
}
