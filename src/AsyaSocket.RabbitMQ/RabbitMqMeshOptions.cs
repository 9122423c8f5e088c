
namespace AsyaSocket.RabbitMQ;

/// <summary>Whether the transport may create the exchange, queues and bindings it uses.</summary>
public enum RabbitMqDeclareMode
{
    /// <summary>Declare them exactly as the sidecar does (idempotent when they already exist compatibly).</summary>
    Declare,

    /// <summary>Only check that they exist (passive declarations), for vhosts where declaring is not allowed.</summary>
    PassiveOnly,
}

/// <summary>
/// Where an Asya mesh on RabbitMQ is and how to behave on it. The password is held here but never printed:
/// <see cref="ToString"/>, <see cref="DisplayAddress"/> and every error name the broker without it.
/// </summary>
public sealed record RabbitMqMeshOptions
{
    /// <summary>The sidecar's default exchange.</summary>
    public const string DefaultExchange = "asya";

    /// <summary>The broker: scheme (amqp or amqps), host, port and vhost path; any user info is ignored here.</summary>
    public required Uri BrokerUri { get; init; }

    /// <summary>The Asya namespace: queues are <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c>.</summary>
    public required string Namespace { get; init; }

    /// <summary>The user name (the sidecar's default is guest).</summary>
    public string UserName { get; init; } = "guest";

    /// <summary>The password; never printed.</summary>
    public string Password { get; init; } = "guest";

    /// <summary>The topic exchange the sidecars publish to.</summary>
    public string Exchange { get; init; } = DefaultExchange;

    /// <summary>Unacknowledged messages a consumer may hold (the sidecar's ASYA_RABBITMQ_PREFETCH, default 1).</summary>
    public ushort Prefetch { get; init; } = 1;

    /// <summary>Declare like the sidecar, or only check.</summary>
    public RabbitMqDeclareMode DeclareMode { get; init; } = RabbitMqDeclareMode.Declare;

    /// <summary>
    /// Connection attempts for receivers and checks before a connect failure is reported, backing off from
    /// <see cref="ConnectBackoff"/> and doubling (the sidecar: 5 attempts from 1 s). Sends use their SendOptions.
    /// </summary>
    public int ConnectAttempts { get; init; } = 5;

    /// <summary>The first wait between connection attempts of receivers and checks.</summary>
    public TimeSpan ConnectBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one TCP/TLS/AMQP handshake may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The vhost named by <see cref="BrokerUri"/> ("/" when the path is empty).</summary>
    public string VirtualHost
    {
        get
        {
            var path = BrokerUri.AbsolutePath;
            if (path.Length <= 1)
            {
                return "/";
            }

            return Uri.UnescapeDataString(path[1..]);
        }
    }

    /// <summary>Whether the connection uses TLS (amqps).</summary>
    public bool UsesTls => BrokerUri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase);

    /// <summary>The broker without credentials: <c>amqp://host:port/vhost</c>.</summary>
    public string DisplayAddress => new UriBuilder(BrokerUri) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path);

    /// <summary>Checks the settings; throws <see cref="AsyaErrorKind.InvalidConfiguration"/> naming what is wrong.</summary>
    public RabbitMqMeshOptions Validate()
    {
        if (BrokerUri is null || !BrokerUri.IsAbsoluteUri ||
            !(BrokerUri.Scheme.Equals("amqp", StringComparison.OrdinalIgnoreCase) || UsesTls))
        {
            throw Invalid("the broker URL must be amqp://host[:port]/[vhost] or amqps://...");
        }

        if (string.IsNullOrWhiteSpace(Namespace))
        {
            throw Invalid("a namespace is required (ASYA_NAMESPACE, or -Namespace), as the sidecar requires it");
        }

        if (string.IsNullOrEmpty(Exchange))
        {
            throw Invalid("the exchange name is empty");
        }

        if (Prefetch == 0)
        {
            throw Invalid("the prefetch must be at least 1");
        }

        if (ConnectAttempts < 1 || ConnectTimeout <= TimeSpan.Zero || ConnectBackoff < TimeSpan.Zero)
        {
            throw Invalid("connect attempts must be at least 1 and the timeouts positive");
        }

        return this;
    }

    /// <summary>The broker, namespace and exchange; never the password.</summary>
    public override string ToString() => $"{DisplayAddress} namespace={Namespace} exchange={Exchange} user={UserName}";

    internal static AsyaTransportException Invalid(string message) =>
        new(AsyaErrorKind.InvalidConfiguration, "RabbitMQ mesh: " + message,
            "Set ASYA_RABBITMQ_URL (or _HOST/_PORT/_USERNAME/_PASSWORD) and ASYA_NAMESPACE as for the sidecar, or use Connect-AsyaMesh.",
            code: RabbitMqErrorCodes.InvalidMeshConfiguration);
}
