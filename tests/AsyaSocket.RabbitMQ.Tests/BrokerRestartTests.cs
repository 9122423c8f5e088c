using System.Collections.Concurrent;
using System.Text;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>Restarting the broker's application stops every other test's connections, so these run alone.</summary>
[CollectionDefinition(nameof(BrokerRestartCollection), DisableParallelization = true)]
public sealed class BrokerRestartCollection;

/// <summary>A broker restarted under a running receiver and a send loop loses no confirmed message.</summary>
[Collection(nameof(BrokerRestartCollection))]
public sealed class BrokerRestartTests
{
    [BrokerFact]
    public async Task A_restart_under_a_receiver_and_a_send_loop_loses_no_confirmed_message()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport();
        var sender = TestMesh.SenderOf(transport, TestMesh.QuickSend with { AckTimeout = TimeSpan.FromSeconds(10) });
        await using var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { BufferCapacity = 20, AckPolicy = AckPolicy.Explicit });
        var received = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var collector = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var message = await receiver.ReceiveAsync(stop.Token);
                received.AddOrUpdate(message.GetText(), 1, (_, n) => n + 1);
                await receiver.AcknowledgeAsync(message);
            }
        });

        const int total = 150;
        var confirmed = new HashSet<string>();
        var failures = new List<string>();
        var restarted = false;
        for (var i = 0; i < total; i++)
        {
            var body = $"{{\"n\":{i}}}";
            // A send either is confirmed or fails; a failed one is sent again, so every message ends confirmed.
            while (true)
            {
                try
                {
                    await sender.SendAsync(actor, Encoding.UTF8.GetBytes(body), stop.Token);
                    confirmed.Add(body);
                    break;
                }
                catch (AsyaTransportException error)
                {
                    failures.Add(error.ErrorId);
                    await Task.Delay(200, stop.Token);
                }
            }

            if (i == total / 3 && !restarted)
            {
                mesh.Ctl("stop_app");
                mesh.Ctl("start_app");
                restarted = true;
            }
        }

        await ReceiveTests.WaitUntil(() => confirmed.All(received.ContainsKey) || collector.IsCompleted);
        Assert.False(collector.IsFaulted, collector.Exception?.ToString());
        Assert.Equal(total, confirmed.Count);
        Assert.DoesNotContain(confirmed, body => !received.ContainsKey(body));
        Assert.True(receiver.Reconnects >= 1, "the receiver should have reconnected");
        Assert.All(failures, id => Assert.Contains(id, new[] { "BrokerUnreachable", "ConnectionLost", "AckTimeout" }));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => collector);
    }

    [BrokerFact]
    public async Task A_receiver_that_cannot_get_back_fails_with_a_clear_error()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        var transport = mesh.Transport(mesh.Options with { ConnectAttempts = 1 });
        await using var receiver = await transport.ListenAsync(actor, new RabbitMqListenOptions { ReconnectTimeout = TimeSpan.FromSeconds(2), AckPolicy = AckPolicy.Explicit });

        mesh.Ctl("stop_app");
        try
        {
            var error = await Assert.ThrowsAsync<AsyaTransportException>(() => receiver.Completion.WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal((AsyaErrorKind.ConnectFailed, "BrokerUnreachable"), (error.Kind, error.ErrorId));
            Assert.Contains("could not consume again", error.Message);
            var read = await Assert.ThrowsAsync<AsyaTransportException>(async () => await receiver.ReceiveAsync());
            Assert.Equal((AsyaErrorKind.ConnectFailed, "BrokerUnreachable"), (read.Kind, read.ErrorId));
        }
        finally
        {
            mesh.Ctl("start_app");
        }
    }
}
