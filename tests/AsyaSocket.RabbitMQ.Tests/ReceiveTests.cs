using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>Consuming an actor's queue: manual acks, nothing lost on stop, no silent stealing, taps.</summary>
public sealed class ReceiveTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    [BrokerFact]
    public async Task A_message_leaves_the_queue_only_when_acknowledged()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await using var receiver = await transport.ListenAsync(actor, TestMesh.Explicit);
        await TestMesh.SenderOf(transport).SendAsync(actor, "{\"n\":1}"u8.ToArray());

        var message = await receiver.ReceiveAsync().AsTask().WaitAsync(Hang);
        Assert.Equal("{\"n\":1}", message.GetText());
        Assert.Equal((0u, 1u), await mesh.CountAsync(mesh.QueueOf(actor))); // held unacked: not ready, one consumer

        await receiver.AcknowledgeAsync(message);
        await receiver.DisposeAsync();
        Assert.Equal((0u, 0u), await mesh.CountAsync(mesh.QueueOf(actor)));
    }

    [BrokerFact]
    public async Task A_receiver_stopped_before_its_messages_are_read_loses_none()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = 10, AckPolicy = AckPolicy.Explicit });
        for (var i = 0; i < 25; i++)
        {
            await TestMesh.SenderOf(transport).SendAsync(actor, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        var taken = await receiver.ReceiveAsync().AsTask().WaitAsync(Hang);   // handed out, never acked
        await receiver.AcknowledgeAsync(await receiver.ReceiveAsync().AsTask().WaitAsync(Hang)); // one really taken
        await receiver.DisposeAsync();

        var left = await mesh.DrainRawAsync(mesh.QueueOf(actor));
        Assert.Equal(24, left.Count);
        Assert.Contains(left, m => Encoding.UTF8.GetString(m.Body.Span) == taken.GetText());
        await Assert.ThrowsAsync<AsyaTransportException>(async () => await receiver.ReceiveAsync());
    }

    [BrokerFact]
    public async Task Prefetch_bounds_what_the_receiver_holds()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await using var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = 3, AckPolicy = AckPolicy.Explicit });
        for (var i = 0; i < 10; i++)
        {
            await TestMesh.SenderOf(transport).SendAsync(actor, "{}"u8.ToArray());
        }

        await WaitUntil(() => receiver.Counters.Received >= 3);
        await Task.Delay(300);
        Assert.Equal(3, receiver.Counters.Received);
        Assert.Equal(7u, (await mesh.CountAsync(mesh.QueueOf(actor))).Messages);
    }

    [BrokerFact]
    public async Task A_message_put_back_with_requeue_comes_first_and_stays_unacknowledged()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await using var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = 5, AckPolicy = AckPolicy.Explicit });
        await TestMesh.SenderOf(transport).SendAsync(actor, "{\"n\":7}"u8.ToArray());
        await TestMesh.SenderOf(transport).SendAsync(actor, "{\"n\":8}"u8.ToArray());

        var first = await receiver.ReceiveAsync().AsTask().WaitAsync(Hang);
        await WaitUntil(() => receiver.Counters.Received == 2);
        await receiver.RejectAsync(first, requeue: true);
        var again = await receiver.ReceiveAsync().AsTask().WaitAsync(Hang);

        Assert.Equal("{\"n\":7}", again.GetText());
        Assert.Equal((0u, 1u), await mesh.CountAsync(mesh.QueueOf(actor)));
        await receiver.AcknowledgeAsync(again);
        await receiver.AcknowledgeAsync(await receiver.ReceiveAsync().AsTask().WaitAsync(Hang));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await receiver.AcknowledgeAsync(again));
        await receiver.DisposeAsync();
        Assert.Equal((0u, 0u), await mesh.CountAsync(mesh.QueueOf(actor)));
    }

    [BrokerFact]
    public async Task A_message_rejected_without_requeue_leaves_the_queue()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await using var receiver = await transport.ListenAsync(actor, TestMesh.Explicit);
        await TestMesh.SenderOf(transport).SendAsync(actor, "{}"u8.ToArray());

        await receiver.RejectAsync(await receiver.ReceiveAsync().AsTask().WaitAsync(Hang), requeue: false);
        await receiver.DisposeAsync();

        Assert.Equal(1, receiver.Counters.RejectedFor(RabbitMqReceiver.ConsumerRejected));
        Assert.Equal((0u, 0u), await mesh.CountAsync(mesh.QueueOf(actor)));
    }

    [BrokerFact]
    public async Task When_buffered_acks_as_messages_arrive_and_keeps_them_readable_after_stop()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = 4, AckPolicy = AckPolicy.WhenBuffered });
        for (var i = 0; i < 10; i++)
        {
            await TestMesh.SenderOf(transport).SendAsync(actor, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        await WaitUntil(() => receiver.Counters.Acked == 4);
        await Task.Delay(300);
        Assert.Equal(4, receiver.Counters.Buffered); // the bounded buffer holds the broker back
        await receiver.DisposeAsync();

        Assert.Equal(4, receiver.DrainBuffered().Count);
        Assert.Equal(6u, (await mesh.CountAsync(mesh.QueueOf(actor))).Messages);
    }

    [BrokerFact]
    public async Task A_queue_with_a_running_consumer_is_not_silently_taken_over()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await TestMesh.SenderOf(transport).SendAsync(actor, "{}"u8.ToArray());
        var sidecar = await mesh.RawChannelAsync();
        await sidecar.BasicConsumeAsync(mesh.QueueOf(actor), autoAck: false, new AsyncEventingBasicConsumer(sidecar));

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => transport.ListenAsync(actor, TestMesh.Explicit));

        Assert.Equal((AsyaErrorKind.ActorInUse, "QueueHasConsumers"), (error.Kind, error.ErrorId));
        Assert.Contains("1 consumer", error.Message);
        Assert.Contains("-Tap", error.Hint);
        Assert.Equal(1u, (await mesh.CountAsync(mesh.QueueOf(actor))).Consumers);
    }

    [BrokerFact]
    public async Task A_tap_sees_copies_and_takes_nothing_from_the_running_actor()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await TestMesh.SenderOf(transport).SendAsync(actor, "{\"warmup\":true}"u8.ToArray()); // declares the queue
        var sidecar = await mesh.RawChannelAsync();
        var seenBySidecar = new List<string>();
        var consumer = new AsyncEventingBasicConsumer(sidecar);
        consumer.ReceivedAsync += async (_, args) =>
        {
            lock (seenBySidecar)
            {
                seenBySidecar.Add(Encoding.UTF8.GetString(args.Body.Span));
            }

            await sidecar.BasicAckAsync(args.DeliveryTag, false);
        };
        await sidecar.BasicConsumeAsync(mesh.QueueOf(actor), autoAck: false, consumer);

        await using var tap = await transport.ListenAsync(actor, new RabbitMqListenOptions { Tap = true, BufferCapacity = 50, AckPolicy = AckPolicy.Explicit });
        for (var i = 0; i < 20; i++)
        {
            await TestMesh.SenderOf(transport).SendAsync(actor, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        var copies = new List<string>();
        while (copies.Count < 20)
        {
            var copy = await tap.ReceiveAsync().AsTask().WaitAsync(Hang);
            copies.Add(copy.GetText());
            await tap.AcknowledgeAsync(copy);
        }

        await WaitUntil(() => { lock (seenBySidecar) { return seenBySidecar.Count == 21; } });
        Assert.True(tap.IsTap);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"{{\"n\":{i}}}"), copies);
        Assert.Equal(1u, (await mesh.CountAsync(mesh.QueueOf(actor))).Consumers);
    }

    [BrokerFact]
    public async Task Competing_is_possible_when_asked_for_and_the_broker_shares_messages()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        await using var first = await transport.ListenAsync(actor, TestMesh.Explicit);
        await using var second = await transport.ListenAsync(actor, new RabbitMqListenOptions { Compete = true, AckPolicy = AckPolicy.Explicit });

        Assert.Equal(1u, second.ConsumersAtStart);
        Assert.Equal(2u, (await mesh.CountAsync(mesh.QueueOf(actor))).Consumers);
    }

    [BrokerFact]
    public async Task A_namespace_does_not_isolate_actors_of_the_same_name_on_one_vhost()
    {
        // The sidecar's routing key is the bare actor name: measured, and documented in the README.
        await using var mesh = new TestMesh();
        await using var other = new TestMesh();
        var actor = mesh.NewActor("echo");
        await using var mine = await mesh.Transport().ListenAsync(actor, TestMesh.Explicit);
        await using var theirs = await other.Transport().ListenAsync(actor, TestMesh.Explicit);

        await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, "{}"u8.ToArray());

        await mine.ReceiveAsync().AsTask().WaitAsync(Hang);
        await theirs.ReceiveAsync().AsTask().WaitAsync(Hang);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a condition");
            await Task.Delay(20);
        }
    }
}
