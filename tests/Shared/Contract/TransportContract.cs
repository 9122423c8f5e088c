using System.Diagnostics;
using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Testing.Contract;

/// <summary>
/// What every transport must do, written against <see cref="IAsyaTransport"/> alone. A transport's test project
/// derives one class from this with its fixture; a rule that differs by design is read from the fixture's
/// <see cref="TransportCapabilities"/> and checked both ways, so no rule goes unchecked for any transport.
/// </summary>
public abstract class TransportContract<TFixture> : IClassFixture<TFixture>
    where TFixture : class, ITransportFixture
{
    private static readonly SendOptions GivesUpQuickly = new()
    {
        ConnectAttempts = 3,
        ConnectRetryInterval = TimeSpan.FromMilliseconds(20),
        AckTimeout = Bounds.Hang,
    };

    private static readonly ListenOptions Explicit = new() { AckPolicy = AckPolicy.Explicit };

    /// <summary>Takes the class's fixture.</summary>
    protected TransportContract(TFixture fixture) => Fixture = fixture;

    /// <summary>The transport under test.</summary>
    protected TFixture Fixture { get; }

    private TransportCapabilities Can => Fixture.Capabilities;

    [ContractFact]
    public async Task Messages_from_one_sender_arrive_in_the_order_sent()
    {
        await using var test = await OpenAsync("fifo");
        var (_, actor, receiver, sender) = test;
        for (var i = 0; i < 20; i++)
        {
            await sender.SendAsync(actor, Body($"m{i}")).Within();
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"m{i}", (await receiver.ReceiveAsync().Within()).GetText());
        }
    }

    [ContractFact]
    public async Task A_send_reports_where_it_went_and_what_it_carried()
    {
        await using var test = await OpenAsync("result");
        var (mesh, actor, receiver, sender) = test;

        var result = await sender.SendAsync(actor, Body("12345")).Within();

        Assert.Equal(actor, result.Actor);
        Assert.Equal(mesh.Transport.AddressOf(actor), result.Address);
        Assert.Equal(receiver.Address, result.Address);
        Assert.Equal(5, result.BodyLength);
        Assert.True(result.Attempts >= 1, $"a delivered send took {result.Attempts} attempts");
        var received = await receiver.ReceiveAsync().Within();
        Assert.Equal(actor, received.Actor);
        Assert.Equal("12345", received.GetText());
    }

    [ContractFact]
    public async Task An_acknowledged_message_is_acknowledged_once_and_never_delivered_again()
    {
        await using var test = await OpenAsync("once", Explicit);
        var (_, actor, receiver, sender) = test;
        var send = sender.SendAsync(actor, Body("once")).AsTask();

        var message = await receiver.ReceiveAsync().Within();
        if (Can.AckMeansReceived)
        {
            await AssertStillPending(send, "the send before its message was acknowledged");
        }

        await receiver.AcknowledgeAsync(message).Within();
        await send.Within();
        await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.AcknowledgeAsync(message).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.RejectAsync(message, requeue: true).Within());
        await AssertNothingArrives(receiver, "the acknowledged message again");
        Assert.Equal(1, receiver.Counters.Acked);
    }

    [ContractFact]
    public async Task A_message_this_receiver_did_not_return_cannot_be_settled_by_it()
    {
        await using var mesh = await Fixture.CreateMeshAsync();
        await using var receiver = mesh.Transport.Listen(mesh.Actor("stranger"), Explicit);
        var stranger = new AsyaReceivedMessage(receiver.Actor, Body("x"), DateTimeOffset.UtcNow, Guid.NewGuid());

        await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.AcknowledgeAsync(stranger).Within());
        await Assert.ThrowsAsync<InvalidOperationException>(() => receiver.RejectAsync(stranger, requeue: false).Within());
    }

    [ContractFact]
    public async Task A_message_rejected_with_requeue_comes_back_first()
    {
        await using var test = await OpenAsync("requeue", Explicit);
        var (_, actor, receiver, sender) = test;
        var first = sender.SendAsync(actor, Body("first")).AsTask();
        var taken = await receiver.ReceiveAsync().Within();
        var second = sender.SendAsync(actor, Body("second")).AsTask();
        await Bounds.Eventually(() => receiver.Counters.Buffered >= 1, "the second message waits in the receiver");

        await receiver.RejectAsync(taken, requeue: true).Within();

        var again = await receiver.ReceiveAsync().Within();
        Assert.Equal("first", again.GetText());
        if (Can.AckMeansReceived)
        {
            await AssertStillPending(first, "the requeued message's send");
        }

        await receiver.AcknowledgeAsync(again).Within();
        var next = await receiver.ReceiveAsync().Within();
        Assert.Equal("second", next.GetText());
        await receiver.AcknowledgeAsync(next).Within();
        await Task.WhenAll(first, second).Within();
        await AssertNothingArrives(receiver, "a third message");
    }

    [ContractFact]
    public async Task A_message_rejected_without_requeue_is_not_delivered()
    {
        await using var test = await OpenAsync("reject", Explicit);
        var (_, actor, receiver, sender) = test;
        var send = sender.SendAsync(actor, Body("bad")).AsTask();

        await receiver.RejectAsync(await receiver.ReceiveAsync().Within(), requeue: false).Within();

        if (Can.AckMeansReceived)
        {
            var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
            Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        }
        else
        {
            await send.Within();
        }

        await AssertNothingArrives(receiver, "the rejected message again");
        Assert.Equal(0, receiver.Counters.Acked);
    }

    [ContractFact]
    public async Task A_stopped_receiver_keeps_every_acknowledged_message()
    {
        await using var test = await OpenAsync("drain");
        var (mesh, actor, receiver, sender) = test;
        var sent = Enumerable.Range(0, 10).Select(i => $"d{i}").ToList();
        foreach (var text in sent)
        {
            await sender.SendAsync(actor, Body(text)).Within();
        }

        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            received.Add((await receiver.ReceiveAsync().Within()).GetText());
        }

        await receiver.DisposeAsync().AsTask().Within();
        received.AddRange(receiver.DrainBuffered().Select(message => message.GetText()));
        var closed = await Assert.ThrowsAsync<AsyaTransportException>(() => receiver.ReceiveAsync().Within());
        Assert.Equal(AsyaErrorKind.ReceiverClosed, closed.Kind);

        if (Can.MessagesOutliveReceivers && received.Count < sent.Count)
        {
            // What the stopped receiver had not taken in waits in the mesh for the next one.
            await using var next = mesh.Transport.Listen(actor);
            while (received.Count < sent.Count)
            {
                received.Add((await next.ReceiveAsync().Within()).GetText());
            }
        }

        Assert.Equal(sent, received);
    }

    [ContractFact]
    public async Task A_stopping_receiver_gives_unacknowledged_messages_back()
    {
        await using var test = await OpenAsync("giveback", Explicit);
        var (mesh, actor, receiver, sender) = test;
        var send = sender.SendAsync(actor, Body("held")).AsTask();
        var held = await receiver.ReceiveAsync().Within();

        // Stopping does not wait for a consumer that never settles.
        await receiver.DisposeAsync().AsTask().Within();

        if (Can.AckMeansReceived)
        {
            var error = await Assert.ThrowsAsync<AsyaTransportException>(() => send.Within());
            Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        }

        if (Can.MessagesOutliveReceivers)
        {
            await using var next = mesh.Transport.Listen(actor, Explicit);
            var again = await next.ReceiveAsync().Within();
            Assert.Equal("held", again.GetText());
            await next.AcknowledgeAsync(again).Within();
        }

        var late = await Assert.ThrowsAsync<AsyaTransportException>(() => receiver.AcknowledgeAsync(held).Within());
        Assert.Equal(AsyaErrorKind.SettlementFailed, late.Kind);
        Assert.Equal(0, receiver.Counters.Acked);
    }

    [ContractFact]
    public async Task Cancelling_a_receive_ends_it_within_the_latency_bound()
    {
        await using var mesh = await Fixture.CreateMeshAsync();
        await using var receiver = mesh.Transport.Listen(mesh.Actor("cancel-receive"));
        using var cancel = new CancellationTokenSource();
        var receive = receiver.ReceiveAsync(cancel.Token).AsTask();
        await AssertStillPending(receive, "a receive with nothing sent");

        var latency = await CancelAndTime(cancel, receive);

        Assert.True(latency < Bounds.CancelLatency, $"the receive ended {latency.TotalMilliseconds:0} ms after its cancellation (bound {Bounds.CancelLatency.TotalMilliseconds:0} ms).");
    }

    [ContractFact]
    public async Task Cancelling_a_send_ends_it_within_the_latency_bound()
    {
        // Once unmeasured first, as the core's latency tests do: the first cancellation in a process compiles its path
        // and throws its first exceptions, which took 0.5-1 s here when this was the process's first (1 run in 10).
        await TimeCancelledSend("cancel-send-warm");
        var latency = await TimeCancelledSend("cancel-send");

        Assert.True(latency < Bounds.CancelLatency, $"the send ended {latency.TotalMilliseconds:0} ms after its cancellation (bound {Bounds.CancelLatency.TotalMilliseconds:0} ms).");
    }

    // A send blocked (on an ack its receiver holds back, or on an actor nobody serves yet), then cancelled: how long it took to end.
    private async Task<TimeSpan> TimeCancelledSend(string actorName)
    {
        await using var mesh = await Fixture.CreateMeshAsync();
        var actor = mesh.Actor(actorName);
        IAsyaReceiver? receiver = null;
        try
        {
            Task send;
            using var cancel = new CancellationTokenSource();
            await using var sender = mesh.Transport.CreateSender(new SendOptions { ConnectAttempts = 10_000, ConnectRetryInterval = TimeSpan.FromMilliseconds(20) });
            if (Can.AckMeansReceived)
            {
                // Waiting for the ack of a message its receiver holds.
                receiver = mesh.Transport.Listen(actor, Explicit);
                send = sender.SendAsync(actor, Body("held"), cancel.Token).AsTask();
                await receiver.ReceiveAsync().Within();
            }
            else
            {
                // Waiting for an actor nobody receives as yet (or refused at once, which ends it too).
                send = sender.SendAsync(actor, Body("nowhere"), cancel.Token).AsTask();
            }

            await Task.Delay(Bounds.Quiet);
            return await CancelAndTime(cancel, send);
        }
        finally
        {
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
            }
        }
    }

    [ContractFact]
    public async Task A_full_receiver_holds_no_more_than_its_buffer_and_loses_nothing()
    {
        await using var test = await OpenAsync("full", new ListenOptions { BufferCapacity = 2 });
        var (_, actor, receiver, sender) = test;
        var texts = Enumerable.Range(0, 5).Select(i => $"f{i}").ToList();
        var sends = texts.Select(text => sender.SendAsync(actor, Body(text)).AsTask()).ToList();

        await Bounds.Eventually(() => receiver.Counters.Buffered == 2, () => $"the buffer fills to 2 (it holds {receiver.Counters.Buffered})");
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(2, receiver.Counters.Buffered);
        if (Can.AckMeansReceived)
        {
            // The senders of what the full receiver cannot hold wait for room: that is the backpressure.
            Assert.Equal(2, sends.Count(send => send.IsCompletedSuccessfully));
        }

        var received = new List<string>();
        for (var i = 0; i < texts.Count; i++)
        {
            received.Add((await receiver.ReceiveAsync().Within()).GetText());
        }

        await Task.WhenAll(sends).Within();
        Assert.Equal(texts.Order(), received.Order());
    }

    [ContractFact]
    public async Task Sending_to_an_actor_nobody_receives_as_fails_clearly()
    {
        await using var mesh = await Fixture.CreateMeshAsync();
        var actor = mesh.Actor("nobody");
        await using var sender = mesh.Transport.CreateSender(GivesUpQuickly);
        if (Can.MessagesOutliveReceivers)
        {
            // The mesh keeps it for the actor's first receiver (a broker transport declares the actor's queue
            // before sending, as the sidecar does); its own tests cover ActorNotFound where declaring is off.
            await sender.SendAsync(actor, Body("x")).Within();
            await using var later = mesh.Transport.Listen(actor);
            Assert.Equal("x", (await later.ReceiveAsync().Within()).GetText());
            return;
        }

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => sender.SendAsync(actor, Body("x")).Within());

        Assert.Equal(AsyaErrorKind.ActorNotFound, error.Kind);
        Assert.Equal(mesh.Transport.AddressOf(actor), error.Address);
        Assert.Contains(error.Address!, error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.Hint), "the error says what to do");
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorId));
    }

    [ContractFact]
    public async Task A_second_receiver_for_one_actor_shares_its_messages_or_is_refused()
    {
        await using var mesh = await Fixture.CreateMeshAsync();
        var actor = mesh.Actor("twice");
        await using var first = mesh.Transport.Listen(actor);
        if (!Can.CompetingConsumers)
        {
            var error = Assert.Throws<AsyaTransportException>(() => mesh.Transport.Listen(actor));
            Assert.Equal(AsyaErrorKind.ActorInUse, error.Kind);
            return;
        }

        await using var second = mesh.Transport.Listen(actor);
        await using var sender = mesh.Transport.CreateSender(GivesUpQuickly);
        var texts = Enumerable.Range(0, 10).Select(i => $"c{i}").ToList();
        foreach (var text in texts)
        {
            await sender.SendAsync(actor, Body(text)).Within();
        }

        // Each message reaches one of the two, exactly once.
        var received = new List<string>();
        using var deadline = new CancellationTokenSource(Bounds.Hang);
        await Task.WhenAll(Collect(first), Collect(second)).Within();
        Assert.Equal(texts.Order(), received.Order());

        async Task Collect(IAsyaReceiver receiver)
        {
            try
            {
                while (true)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    quiet.CancelAfter(Bounds.Quiet * 3);
                    var text = (await receiver.ReceiveAsync(quiet.Token).Within()).GetText();
                    lock (received)
                    {
                        received.Add(text);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Quiet for a while: this receiver got its share.
            }
        }
    }

    [ContractFact]
    public async Task Delayed_delivery_is_done_or_refused_clearly()
    {
        await using var test = await OpenAsync("delay");
        var (_, actor, receiver, sender) = test;
        var delay = TimeSpan.FromMilliseconds(500);
        if (!Can.DelayedDelivery)
        {
            var error = await Assert.ThrowsAsync<AsyaTransportException>(() => sender.SendWithDelayAsync(actor, Body("later"), delay).Within());
            Assert.Equal(AsyaErrorKind.DelayedDeliveryNotSupported, error.Kind);
            await AssertNothingArrives(receiver, "a message whose delayed send was refused");
            return;
        }

        var clock = Stopwatch.StartNew();
        await sender.SendWithDelayAsync(actor, Body("later"), delay).Within();
        Assert.Equal("later", (await receiver.ReceiveAsync().Within()).GetText());
        Assert.True(clock.Elapsed >= delay - TimeSpan.FromMilliseconds(50), $"a message delayed {delay.TotalMilliseconds} ms arrived after {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    private static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    // A test's mesh, its actor, a receiver listening as it and a sender that gives up quickly.
    private async Task<ContractScope> OpenAsync(string role, ListenOptions? options = null)
    {
        var mesh = await Fixture.CreateMeshAsync();
        try
        {
            var actor = mesh.Actor(role);
            return new ContractScope(mesh, actor, mesh.Transport.Listen(actor, options), mesh.Transport.CreateSender(GivesUpQuickly));
        }
        catch
        {
            await mesh.DisposeAsync();
            throw;
        }
    }

    private static async Task AssertStillPending(Task task, string what)
    {
        var finished = await Task.WhenAny(task, Task.Delay(Bounds.Quiet));
        Assert.False(finished == task, $"{what} should still be pending, but it completed ({task.Status}).");
    }

    private static async Task AssertNothingArrives(IAsyaReceiver receiver, string what)
    {
        using var quiet = new CancellationTokenSource(Bounds.Quiet);
        try
        {
            // Bounded even for a transport that ignores the cancellation: that fails here instead of hanging.
            var message = await receiver.ReceiveAsync(quiet.Token).Within();
            Assert.Fail($"{what} arrived: '{message.GetText()}'.");
        }
        catch (OperationCanceledException)
        {
        }
    }

    // From the cancel to the task's end; it may end with the cancellation or with its own failure, never hang.
    private static async Task<TimeSpan> CancelAndTime(CancellationTokenSource cancel, Task task)
    {
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        try
        {
            await task.WaitAsync(Bounds.Hang);
        }
        catch (OperationCanceledException)
        {
        }
        catch (AsyaTransportException)
        {
        }

        return clock.Elapsed;
    }
}
