using System.Runtime.CompilerServices;
using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>
/// One test's mesh on the shared test broker: a namespace and actor names of its own (routing keys carry no
/// namespace, so actor names are unique too), our transport, and a raw RabbitMQ.Client connection (not this
/// project's code) to check what the broker holds.
/// </summary>
public sealed class TestMesh : IAsyncDisposable
{
    private static readonly ConditionalWeakTable<RabbitMqTransport, IAsyaSender> Senders = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private IConnection? _raw;

    public TestMesh()
    {
        Broker = TestBroker.Current;
        Namespace = "t" + Guid.NewGuid().ToString("N")[..8];
        var (uri, user, password) = RabbitMqUrl.Split(Broker.Url);
        Options = new RabbitMqMeshOptions { BrokerUri = uri, UserName = user, Password = password, Namespace = Namespace, ConnectAttempts = 2 };
    }

    /// <summary>Listen options under which a message is acked only when the test settles it (AMQP's manual ack).</summary>
    public static RabbitMqListenOptions Explicit { get; } = new() { AckPolicy = AckPolicy.Explicit };

    /// <summary>Send options that give up on an unreachable broker after two quick attempts.</summary>
    public static SendOptions QuickSend { get; } = new() { ConnectAttempts = 2, ConnectRetryInterval = TimeSpan.FromMilliseconds(50) };

    /// <summary>One sender per transport (its channel closes with the transport's connection).</summary>
    public static IAsyaSender SenderOf(RabbitMqTransport transport, SendOptions? options = null) =>
        Senders.GetValue(transport, t => t.CreateSender(options ?? QuickSend));

    public TestBroker.Endpoint Broker { get; }

    public string Namespace { get; }

    public RabbitMqMeshOptions Options { get; }

    /// <summary>A fresh actor name, unique on the broker.</summary>
    public string NewActor(string stem = "actor") => $"{stem}-{Guid.NewGuid().ToString("N")[..8]}";

    public string QueueOf(string actor) => $"asya-{Namespace}-{actor}";

    /// <summary>A transport for this mesh (disposed with it).</summary>
    public RabbitMqTransport Transport(RabbitMqMeshOptions? options = null)
    {
        var transport = new RabbitMqTransport(options ?? Options, "asya-tests");
        _owned.Add(transport);
        return transport;
    }

    /// <summary>A raw client connection to the test vhost.</summary>
    public async Task<IConnection> RawAsync()
    {
        if (_raw is { IsOpen: true })
        {
            return _raw;
        }

        var factory = new ConnectionFactory { Uri = new Uri(Broker.Url), AutomaticRecoveryEnabled = false };
        _raw = await factory.CreateConnectionAsync("asya-tests-raw");
        return _raw;
    }

    /// <summary>A raw channel (disposed with the mesh).</summary>
    public async Task<IChannel> RawChannelAsync(bool confirms = false)
    {
        var connection = await RawAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(confirms, confirms));
        _owned.Add(channel);
        return channel;
    }

    /// <summary>The queue's ready messages and consumers, by passive declare on a raw channel.</summary>
    public async Task<(uint Messages, uint Consumers)> CountAsync(string queue)
    {
        await using var channel = await (await RawAsync()).CreateChannelAsync();
        var ok = await channel.QueueDeclarePassiveAsync(queue);
        return (ok.MessageCount, ok.ConsumerCount);
    }

    /// <summary>Takes every ready message from the queue with basic.get (raw client), acking each.</summary>
    public async Task<List<BasicGetResult>> DrainRawAsync(string queue)
    {
        await using var channel = await (await RawAsync()).CreateChannelAsync();
        var taken = new List<BasicGetResult>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            taken.Add(message);
        }

        return taken;
    }

    /// <summary>Runs the broker's rabbitmqctl with the given arguments and returns its output.</summary>
    public string Ctl(params string[] arguments)
    {
        var (code, output) = TestBroker.Run(Broker.Ctl, arguments);
        Assert.True(code == 0, $"rabbitmqctl {string.Join(' ', arguments)} failed: {output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync();
            }
            catch (Exception)
            {
                // Already closed by the test or the broker.
            }
        }

        try
        {
            // Queues of this test's namespace go, so the broker does not fill up over a run.
            await using var channel = await (await RawAsync()).CreateChannelAsync();
            foreach (var line in Ctl("-q", "list_queues", "-p", Broker.VirtualHost, "name").Split('\n'))
            {
                var name = line.Trim();
                if (name.StartsWith($"asya-{Namespace}-", StringComparison.Ordinal))
                {
                    await channel.QueueDeleteAsync(name, ifUnused: false, ifEmpty: false);
                }
            }
        }
        catch (Exception)
        {
            // A test that restarted or broke the broker leaves its queues; the broker is private and temporary.
        }

        if (_raw is not null)
        {
            await _raw.DisposeAsync();
        }
    }
}
