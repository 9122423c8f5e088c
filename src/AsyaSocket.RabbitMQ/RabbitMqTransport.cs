namespace AsyaSocket.RabbitMQ;

/// <summary>
/// An Asya mesh on RabbitMQ, addressed like the sidecar: exchange (default <c>asya</c>, topic), one durable
/// queue per actor <c>asya-&lt;namespace&gt;-&lt;actor&gt;</c> bound with the actor name. One connection, opened
/// on first use and owned by this transport, is shared by every sender (a channel each) and receiver.
/// </summary>
public sealed class RabbitMqTransport : IAsyaTransport, IAsyncDisposable, IDisposable
{
    private readonly RabbitMqConnector _connector;
    private readonly RabbitMqListenOptions? _listenerDefaults;
    private readonly bool _overrideNeutral;
    private readonly bool _ownsConnection;

    /// <summary>A transport for the mesh <paramref name="options"/> describe; connects on first use.</summary>
    public RabbitMqTransport(RabbitMqMeshOptions options, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        _connector = new RabbitMqConnector(options, clientName ?? $"AsyaSocket pid {Environment.ProcessId}");
        _ownsConnection = true;
    }

    private RabbitMqTransport(RabbitMqTransport shared, RabbitMqListenOptions listenerDefaults, bool overrideNeutral)
    {
        Options = shared.Options;
        _connector = shared._connector;
        _listenerDefaults = listenerDefaults;
        _overrideNeutral = overrideNeutral;
        _ownsConnection = false;
    }

    /// <summary>
    /// The same mesh and connection, whose receivers get the broker settings of <paramref name="defaults"/> (tap,
    /// compete, reconnect) when a caller passes only neutral options; with <paramref name="overrideNeutral"/> its
    /// buffer capacity (prefetch) and ack policy win over the caller's too. Disposing the view leaves the connection open.
    /// </summary>
    public RabbitMqTransport WithListenerDefaults(RabbitMqListenOptions defaults, bool overrideNeutral = false) =>
        new(this, defaults ?? throw new ArgumentNullException(nameof(defaults)), overrideNeutral);

    /// <summary>Opens the connection now (it is otherwise opened on first use), so wrong credentials or an unreachable broker show at once.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await _connector.GetAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The mesh.</summary>
    public RabbitMqMeshOptions Options { get; }

    /// <inheritdoc />
    public string Name => "rabbitmq";

    /// <inheritdoc />
    public string Mesh => $"{Options.DisplayAddress} namespace {Options.Namespace}";

    /// <inheritdoc />
    public IAsyaSender CreateSender(SendOptions? options = null) => new RabbitMqSender(_connector, options);

    /// <inheritdoc />
    public IAsyaReceiver Listen(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default) =>
        RabbitMqReceiver.StartAsync(_connector, actor, WithDefaults(options), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Starts consuming the actor's queue (or, with <see cref="RabbitMqListenOptions.Tap"/>, a tap of it).</summary>
    public Task<RabbitMqReceiver> ListenAsync(string actor, ListenOptions? options = null, CancellationToken cancellationToken = default) =>
        RabbitMqReceiver.StartAsync(_connector, actor, WithDefaults(options), cancellationToken);

    /// <inheritdoc />
    public string AddressOf(string actor) => AddressOf(Options, actor);

    /// <summary>Where an actor is on a mesh: its queue on the broker (no credentials).</summary>
    public static string AddressOf(RabbitMqMeshOptions options, string actor) =>
        $"{RabbitMqNames.QueueOf(options.Namespace, actor)} on {options.DisplayAddress}";

    /// <summary>The broker without credentials.</summary>
    public override string ToString() => Options.ToString();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsConnection ? _connector.DisposeAsync() : ValueTask.CompletedTask;

    private ListenOptions? WithDefaults(ListenOptions? options)
    {
        if (_listenerDefaults is null || options is RabbitMqListenOptions)
        {
            return options;
        }

        return options is null
            ? _listenerDefaults
            : _listenerDefaults with
            {
                BufferCapacity = _overrideNeutral ? _listenerDefaults.BufferCapacity : options.BufferCapacity,
                RequeueCapacity = options.RequeueCapacity,
                AckPolicy = _overrideNeutral ? _listenerDefaults.AckPolicy : options.AckPolicy,
                MaxBodyLength = options.MaxBodyLength,
            };
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
