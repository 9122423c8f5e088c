using System.Diagnostics;
using System.Globalization;
using AsyaSocket.RabbitMQ;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// <c>rabbitmq</c>: the RabbitMQ transport against bare RabbitMQ.Client doing the same work, interleaved in
/// alternating rounds on one broker (the same reason as <see cref="Paired"/>: both sides see the same load).
/// Publish: one message at a time, each awaited until the broker confirms (persistent, application/json,
/// mandatory). Consume: a queue prefilled with the round's messages, drained with manual acks under the same
/// prefetch, each message acked once read. The broker comes from ASYA_TEST_RABBITMQ_URL or ASYA_RABBITMQ_URL
/// (tests/Broker/test-broker.sh run starts a private one).
/// </summary>
internal static class RabbitMqPaired
{
    public const string Verb = "rabbitmq";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = 20;
        var batch = 200;
        var size = 1024;
        ushort prefetch = 50;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--size": size = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--prefetch": prefetch = ushort.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine("usage: rabbitmq [--rounds 20] [--batch 200] [--size 1024] [--prefetch 50]");
                    return 2;
            }
        }

        var url = Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ_URL") ?? Environment.GetEnvironmentVariable("ASYA_RABBITMQ_URL");
        if (string.IsNullOrEmpty(url))
        {
            Console.Error.WriteLine("Set ASYA_TEST_RABBITMQ_URL (or run under tests/Broker/test-broker.sh run).");
            return 2;
        }

        var (broker, user, password) = RabbitMqUrl.Split(url);
        var options = new RabbitMqMeshOptions { BrokerUri = broker, UserName = user, Password = password, Namespace = "bench" + Environment.ProcessId };
        var body = new byte[size];
        Array.Fill(body, (byte)'x');
        body[0] = (byte)'"';
        body[^1] = (byte)'"';

        var factory = new ConnectionFactory { Uri = new Uri(url), AutomaticRecoveryEnabled = false };
        await using var bare = await factory.CreateConnectionAsync("bench-bare");
        await using var transport = new RabbitMqTransport(options, "bench-asya");
        await using var sender = transport.CreateSender();
        var bareActor = "bench-bare-" + Environment.ProcessId;
        var asyaActor = "bench-asya-" + Environment.ProcessId;
        await using var setup = await bare.CreateChannelAsync();
        foreach (var actor in new[] { bareActor, asyaActor })
        {
            await setup.ExchangeDeclareAsync(options.Exchange, "topic", durable: true, autoDelete: false);
            await setup.QueueDeclareAsync(RabbitMqNames.QueueOf(options.Namespace, actor), durable: true, exclusive: false, autoDelete: false);
            await setup.QueueBindAsync(RabbitMqNames.QueueOf(options.Namespace, actor), options.Exchange, actor);
        }

        await using var barePublisher = await bare.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent };

        async Task BarePublishAsync(string actor, int count)
        {
            for (var i = 0; i < count; i++)
            {
                properties.Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
                await barePublisher.BasicPublishAsync(options.Exchange, actor, mandatory: true, properties, body);
            }
        }

        async Task AsyaPublishAsync(string actor, int count)
        {
            for (var i = 0; i < count; i++)
            {
                await sender.SendAsync(actor, body);
            }
        }

        async Task BareConsumeAsync(string queue, int count)
        {
            await using var channel = await bare.CreateChannelAsync();
            await channel.BasicQosAsync(0, prefetch, false);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var seen = 0;
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                _ = delivery.Body.ToArray(); // the same copy our receiver makes
                await channel.BasicAckAsync(delivery.DeliveryTag, false);
                if (++seen == count)
                {
                    done.TrySetResult();
                }
            };
            var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
            await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await channel.BasicCancelAsync(tag);
        }

        async Task AsyaConsumeAsync(string actor, int count)
        {
            await using var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = prefetch, AckPolicy = AckPolicy.Explicit });
            for (var i = 0; i < count; i++)
            {
                var message = await receiver.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(120));
                await receiver.AcknowledgeAsync(message);
            }
        }

        var bareQueue = RabbitMqNames.QueueOf(options.Namespace, bareActor);
        var asyaQueue = RabbitMqNames.QueueOf(options.Namespace, asyaActor);
        var publish = new List<(double Bare, double Asya)>();
        var consume = new List<(double Bare, double Asya)>();
        // Warm-up round: JIT, channels, declarations.
        await BarePublishAsync(bareActor, batch);
        await AsyaPublishAsync(asyaActor, batch);
        await BareConsumeAsync(bareQueue, batch);
        await AsyaConsumeAsync(asyaActor, batch);
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which side goes first, so neither always meets a warmer broker.
            var bareFirst = round % 2 == 0;
            double barePub, asyaPub, bareCon, asyaCon;
            if (bareFirst)
            {
                barePub = await RateAsync(() => BarePublishAsync(bareActor, batch), batch);
                asyaPub = await RateAsync(() => AsyaPublishAsync(asyaActor, batch), batch);
                bareCon = await RateAsync(() => BareConsumeAsync(bareQueue, batch), batch);
                asyaCon = await RateAsync(() => AsyaConsumeAsync(asyaActor, batch), batch);
            }
            else
            {
                asyaPub = await RateAsync(() => AsyaPublishAsync(asyaActor, batch), batch);
                barePub = await RateAsync(() => BarePublishAsync(bareActor, batch), batch);
                asyaCon = await RateAsync(() => AsyaConsumeAsync(asyaActor, batch), batch);
                bareCon = await RateAsync(() => BareConsumeAsync(bareQueue, batch), batch);
            }

            publish.Add((barePub, asyaPub));
            consume.Add((bareCon, asyaCon));
        }

        await setup.QueueDeleteAsync(bareQueue);
        await setup.QueueDeleteAsync(asyaQueue);
        Console.WriteLine($"RabbitMQ {size} B bodies, {rounds} rounds of {batch} messages, prefetch {prefetch} (medians; ratio = median of per-round AsyaSocket/bare)");
        Console.WriteLine("| operation | bare RabbitMQ.Client msg/s | AsyaSocket.RabbitMQ msg/s | ratio (target >= 0.8) |");
        Console.WriteLine("|---|---:|---:|---:|");
        Print("publish, awaiting each confirm", publish);
        Print("consume, manual ack", consume);
        return 0;
    }

    private static async Task<double> RateAsync(Func<Task> work, int count)
    {
        var started = Stopwatch.GetTimestamp();
        await work();
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static void Print(string what, List<(double Bare, double Asya)> rounds)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var ratio = Median(rounds.Select(r => r.Asya / r.Bare));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {Median(rounds.Select(r => r.Bare)):N0} | {Median(rounds.Select(r => r.Asya)):N0} | {ratio:0.00} |"));
    }
}
