namespace AsyaSocket.RabbitMQ;

/// <summary>
/// An Asya mesh on RabbitMQ, addressed like the sidecar: exchange (default <c>asya</c>, topic), one durable
/// queue per actor <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c> bound with the actor name. One connection, opened
/// on first use and owned by this transport, is shared by every sender (a channel each) and receiver.
/// </summary>
public sealed class RabbitMqTransport : IAsyaTransport, IAsyncDisposable, IDisposable
{
    private readonly RabbitMqConnector _connector;

    /// <summary>A transport for the mesh <paramref name="options"/> describe; connects on first use.</summary>
    public RabbitMqTransport(RabbitMqMeshOptions options, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _connector = new RabbitMqConnector(options, clientName ?? $"AsyaSocket pid {Environment.ProcessId}");
    }

    /// <summary>The mesh.</summary>
    public RabbitMqMeshOptions Options { get; }

    /// <inheritdoc />
    public string Name => "rabbitmq";

    /// <inheritdoc />
    public string Mesh => $"{Options.DisplayAddress} namespace {Options.Namespace}";

    /// <inheritdoc />
    public IAsyaSender CreateSender(SendOptions? options = null) => new RabbitMqSender(_connector, options);

    /// <inheritdoc />
    public IAsyaReceiver Listen(string actor, ListenOptions? options = null) =>
        RabbitMqReceiver.StartAsync(_connector, actor, options, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Starts consuming the actor's queue (or, with <see cref="RabbitMqListenOptions.Tap"/>, a tap of it).</summary>
    public Task<RabbitMqReceiver> ListenAsync(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default) =>
        RabbitMqReceiver.StartAsync(_connector, actor, options, cancellationToken);

    /// <inheritdoc />
    public string AddressOf(string actor) => AddressOf(Options, actor);

    /// <summary>Where an actor is on a mesh: its queue on the broker (no credentials).</summary>
    public static string AddressOf(RabbitMqMeshOptions options, string actor) =>
        $"{RabbitMqNames.QueueOf(options.Namespace, actor)} on {options.DisplayAddress}";

    /// <summary>The broker without credentials.</summary>
    public override string ToString() => Options.ToString();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
