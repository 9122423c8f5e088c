using System.Text;
using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>What a send puts on the broker, read back with RabbitMQ.Client and rabbitmqctl (not our code).</summary>
public sealed class SendTests
{
    [BrokerFact]
    public async Task A_send_carries_the_sidecars_wire_properties_and_body()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor("echo");
        var body = Encoding.UTF8.GetBytes("""{"id":"e-1","route":{"prev":[],"curr":"echo","next":[]},"payload":{"n":1}}""");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var result = await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, body);

        var taken = await mesh.DrainRawAsync(mesh.QueueOf(actor));
        var message = Assert.Single(taken);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal("asya", message.Exchange);
        Assert.Equal(actor, message.RoutingKey);
        Assert.Equal(DeliveryModes.Persistent, message.BasicProperties.DeliveryMode);
        Assert.Equal("application/json", message.BasicProperties.ContentType);
        Assert.True(message.BasicProperties.IsTimestampPresent());
        Assert.InRange(message.BasicProperties.Timestamp.UnixTime, before - 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.False(message.BasicProperties.IsMessageIdPresent());
        Assert.False(message.BasicProperties.IsHeadersPresent());
        Assert.Equal(body.Length, result.BodyLength);
        Assert.Contains(mesh.QueueOf(actor), result.Address);
    }

    [BrokerFact]
    public async Task A_send_declares_the_exchange_queue_and_binding_as_the_sidecar_does()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();

        await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, "{}"u8.ToArray());

        var vhost = mesh.Broker.VirtualHost;
        var exchanges = mesh.Ctl("-q", "list_exchanges", "-p", vhost, "name", "type", "durable", "auto_delete", "internal", "arguments");
        Assert.Contains(exchanges.Split('\n'), line => line.Split('\t') is ["asya", "topic", "true", "false", "false", "[]"]);
        var queues = mesh.Ctl("-q", "list_queues", "-p", vhost, "name", "durable", "auto_delete", "exclusive", "arguments", "type");
        Assert.Contains(queues.Split('\n'), line => line.Split('\t') is var f && f[0] == mesh.QueueOf(actor) && f[1..] is ["true", "false", "false", "[]", "classic"]);
        var bindings = mesh.Ctl("-q", "list_bindings", "-p", vhost, "source_name", "destination_name", "routing_key");
        Assert.Contains(bindings.Split('\n'), line => line.Split('\t') is var f && f is ["asya", _, _] && f[1] == mesh.QueueOf(actor) && f[2] == actor);
    }

    [BrokerFact]
    public async Task Declarations_are_compatible_with_the_sidecars_when_the_sidecar_came_first()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var channel = await mesh.RawChannelAsync();
        // The sidecar's declarations, made with the raw client.
        await channel.ExchangeDeclareAsync("asya", "topic", durable: true, autoDelete: false, arguments: null);
        await channel.QueueDeclareAsync(mesh.QueueOf(actor), durable: true, exclusive: false, autoDelete: false, arguments: null);
        await channel.QueueBindAsync(mesh.QueueOf(actor), "asya", actor);

        await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, "{}"u8.ToArray());

        Assert.Equal(1u, (await mesh.CountAsync(mesh.QueueOf(actor))).Messages);
    }

    [BrokerFact]
    public async Task Declarations_are_compatible_with_the_sidecars_when_we_came_first()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, "{}"u8.ToArray());

        // A sidecar starting later declares the same things; the broker accepts (a mismatch would close the channel).
        var channel = await mesh.RawChannelAsync();
        await channel.ExchangeDeclareAsync("asya", "topic", durable: true, autoDelete: false, arguments: null);
        var queue = await channel.QueueDeclareAsync(mesh.QueueOf(actor), durable: true, exclusive: false, autoDelete: false, arguments: null);
        await channel.QueueBindAsync(mesh.QueueOf(actor), "asya", actor);
        Assert.True(channel.IsOpen);
        Assert.Equal(1u, queue.MessageCount);
    }

    [BrokerFact]
    public async Task An_incompatible_queue_is_a_channel_error_and_the_next_send_works()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var other = mesh.NewActor();
        var channel = await mesh.RawChannelAsync();
        await channel.QueueDeclareAsync(mesh.QueueOf(actor), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 10 });
        var sender = TestMesh.SenderOf(mesh.Transport());

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync(actor, "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.AddressOccupied, "IncompatibleDeclaration"), (error.Kind, error.ErrorId));
        Assert.Contains("PRECONDITION_FAILED", error.Message);
        await sender.SendAsync(other, "{}"u8.ToArray());
        Assert.Equal(1u, (await mesh.CountAsync(mesh.QueueOf(other))).Messages);
    }

    [BrokerFact]
    public async Task Concurrent_sends_are_each_confirmed_and_all_arrive()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var sender = TestMesh.SenderOf(mesh.Transport());

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => sender.SendAsync(actor, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")).AsTask()));

        var bodies = (await mesh.DrainRawAsync(mesh.QueueOf(actor))).Select(m => Encoding.UTF8.GetString(m.Body.Span)).ToHashSet();
        Assert.Equal(200, bodies.Count);
    }

    [BrokerFact]
    public async Task Passive_mode_declares_nothing_and_reports_a_missing_queue()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        await TestMesh.SenderOf(mesh.Transport()).SendAsync(mesh.NewActor(), "{}"u8.ToArray()); // the exchange exists
        var passive = mesh.Transport(mesh.Options with { DeclareMode = RabbitMqDeclareMode.PassiveOnly });

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(passive).SendAsync(actor, "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.ActorNotFound, "QueueNotFound"), (error.Kind, error.ErrorId));
        Assert.Contains(mesh.QueueOf(actor), error.Message);
        Assert.DoesNotContain(mesh.QueueOf(actor), mesh.Ctl("-q", "list_queues", "-p", mesh.Broker.VirtualHost, "name"));
    }

    [BrokerFact]
    public async Task An_unbound_queue_makes_the_mandatory_message_come_back_as_unroutable()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var channel = await mesh.RawChannelAsync();
        await channel.ExchangeDeclareAsync("asya", "topic", durable: true, autoDelete: false, arguments: null);
        await channel.QueueDeclareAsync(mesh.QueueOf(actor), durable: true, exclusive: false, autoDelete: false, arguments: null);
        var passive = mesh.Transport(mesh.Options with { DeclareMode = RabbitMqDeclareMode.PassiveOnly });

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(passive).SendAsync(actor, "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.ActorNotFound, "Unroutable"), (error.Kind, error.ErrorId));
        Assert.Contains(actor, error.Message);
    }

    [BrokerFact]
    public async Task A_message_the_broker_refuses_is_a_publish_refused_error()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var channel = await mesh.RawChannelAsync();
        // A full queue that rejects publishes makes the broker nack (basic.nack) instead of confirming.
        await channel.ExchangeDeclareAsync("asya", "topic", durable: true, autoDelete: false, arguments: null);
        await channel.QueueDeclareAsync(mesh.QueueOf(actor), durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-max-length"] = 0, ["x-overflow"] = "reject-publish" });
        await channel.QueueBindAsync(mesh.QueueOf(actor), "asya", actor);
        var passive = mesh.Transport(mesh.Options with { DeclareMode = RabbitMqDeclareMode.PassiveOnly });

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(passive).SendAsync(actor, "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.NotAcknowledged, "PublishRefused"), (error.Kind, error.ErrorId));
    }

    [Fact]
    public async Task Delayed_delivery_is_not_supported_like_the_sidecar()
    {
        // Refused before anything is reached: the broker in these options does not exist.
        await using var transport = new RabbitMqTransport(new RabbitMqMeshOptions { BrokerUri = new Uri("amqp://127.0.0.1:1/"), Namespace = "dev" });
        await using var sender = transport.CreateSender();
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () =>
            await sender.SendWithDelayAsync("echo", "{}"u8.ToArray(), TimeSpan.FromSeconds(5)));

        Assert.Equal((AsyaErrorKind.DelayedDeliveryNotSupported, "DelayedDeliveryNotSupported"), (error.Kind, error.ErrorId));
    }
}
