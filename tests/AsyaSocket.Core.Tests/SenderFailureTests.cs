using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Protocol §2–3: the sender against receivers that are not the core (the peer's raw receivers, written on plain
/// sockets): a good one, one that acks with the wrong byte, one that closes without acking, one that never acks;
/// and the dial retry against a missing or stale socket.
/// </summary>
public class SenderFailureTests
{
    private static byte[] Tagged(string tag, int size = 32) => Encoding.ASCII.GetBytes((tag + "|").PadRight(size, '.'));

    [Fact]
    public async Task SenderIsByteCompatibleWithAnIndependentReceiver()
    {
        using var mesh = new TempMesh();
        using var peer = PeerProcess.Start("raw-receiver", mesh.Path, "a", "good", "--count", "3");
        await peer.ReadyAsync();
        var sender = mesh.Sender();
        foreach (var body in new[] { Array.Empty<byte>(), Tagged("small"), RandomNumberGenerator.GetBytes(100_000) })
        {
            var result = await sender.SendAsync("a", body).Within();
            Assert.Equal(1, result.Attempts);
            var frame = await peer.ExpectAsync("FRAME ");
            Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), frame[0]);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), frame[1]);
            await peer.ExpectAsync("ACKED");
            await peer.ExpectAsync("SENDER-CLOSED"); // one frame per connection, then the sender closes
        }

        await peer.ExpectAsync("DONE");
        Assert.Equal(0, await peer.ExitCodeAsync());
    }

    [Fact]
    public async Task WrongAckByteIsUnexpectedAckAndNotRetried()
    {
        using var mesh = new TempMesh();
        using var peer = PeerProcess.Start("raw-receiver", mesh.Path, "a", "wrong-ack", "--count", "2");
        await peer.ReadyAsync();
        var sender = mesh.Sender(dialAttempts: 5);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Tagged("first")).Within());
        Assert.Equal(AsyaErrorKind.ProtocolViolation, error.Kind);
        Assert.Contains("unexpected ack byte 2", error.Message);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(mesh.SocketPath("a"), error.Address);

        // The receiver's next connection carries the next message, not a retry of the first.
        await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Tagged("second")).Within());
        Assert.Equal("first", (await peer.ExpectAsync("FRAME "))[2]);
        await peer.ExpectAsync("SENT-BYTE 2");
        Assert.Equal("second", (await peer.ExpectAsync("FRAME "))[2]);
        await peer.ExpectAsync("SENT-BYTE 2");
        await peer.ExpectAsync("DONE");
    }

    [Fact]
    public async Task ReceiverClosingWithoutAckIsPeerClosedBeforeAckAndNotRetried()
    {
        using var mesh = new TempMesh();
        using var peer = PeerProcess.Start("raw-receiver", mesh.Path, "a", "close-without-ack", "--count", "2");
        await peer.ReadyAsync();
        var sender = mesh.Sender(dialAttempts: 5);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Tagged("first")).Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        Assert.Contains("read ack: EOF", error.Message);
        Assert.Equal(1, error.Attempts);

        await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Tagged("second")).Within());
        Assert.Equal("first", (await peer.ExpectAsync("FRAME "))[2]);
        await peer.ExpectAsync("CLOSING");
        Assert.Equal("second", (await peer.ExpectAsync("FRAME "))[2]);
        await peer.ExpectAsync("CLOSING");
        await peer.ExpectAsync("DONE");
    }

    [Fact]
    public async Task ReceiverThatNeverAcksIsAckTimeoutWithinTheConfiguredTimeout()
    {
        using var mesh = new TempMesh();
        using var peer = PeerProcess.Start("raw-receiver", mesh.Path, "a", "never-ack");
        await peer.ReadyAsync();
        var ackTimeout = TimeSpan.FromMilliseconds(500);
        var sender = mesh.Sender(ackTimeout: ackTimeout);

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", Tagged("held")).Within());
        watch.Stop();

        Assert.Equal(AsyaErrorKind.AckTimeout, error.Kind);
        Assert.Contains("0.5 s", error.Message);
        Assert.True(watch.Elapsed >= ackTimeout - TimeSpan.FromMilliseconds(50), $"gave up after {watch.Elapsed.TotalMilliseconds} ms, before the {ackTimeout.TotalMilliseconds} ms timeout");
        Assert.True(watch.Elapsed < ackTimeout + TimeSpan.FromSeconds(5), $"gave up only after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.Equal("held", (await peer.ExpectAsync("FRAME "))[2]);
        await peer.ExpectAsync("HOLDING");
        await peer.ExpectAsync("PEER-CLOSED"); // the sender closed its end when it gave up
    }

    [Fact]
    public async Task MissingSocketIsRetriedThenFailsWithTheAttemptCount()
    {
        using var mesh = new TempMesh();
        var sender = mesh.Sender(dialAttempts: 4, dialIntervalMs: 50);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("nobody", "x"u8.ToArray()).Within());

        Assert.Equal(AsyaErrorKind.ActorNotFound, error.Kind);
        Assert.Equal(4, error.Attempts);
        Assert.Contains($"connect to {mesh.SocketPath("nobody")} after 4 attempts", error.Message);
        Assert.Equal(mesh.SocketPath("nobody"), error.Address);
        Assert.IsType<SocketException>(error.InnerException);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(140), $"three 50 ms pauses should separate four attempts, took {watch.Elapsed.TotalMilliseconds} ms");
        Assert.True(error.Elapsed >= TimeSpan.FromMilliseconds(140));
    }

    [Fact]
    public async Task SendSucceedsWhenTheActorComesUpDuringTheRetries()
    {
        using var mesh = new TempMesh();
        var send = mesh.Sender(dialAttempts: 200, dialIntervalMs: 20).SendAsync("late", "waited"u8.ToArray()).AsTask();
        await Bounds.AssertStillPending(send, "a send to an actor that is not up yet");

        await using var listener = SocketListener.Start(mesh.Mesh, "late");
        var result = await send.Within();
        Assert.True(result.Attempts > 1, $"expected several attempts, got {result.Attempts}");
        Assert.Equal("waited", (await listener.ReceiveAsync().Within()).GetText());
    }

    [Fact]
    public async Task StaleSocketIsConnectionRefusedAfterEveryAttempt()
    {
        using var mesh = new TempMesh();
        Unix.CreateStaleSocket(mesh.SocketPath("stale"));
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 3).SendAsync("stale", "x"u8.ToArray()).Within());

        Assert.Equal(AsyaErrorKind.ConnectionRefused, error.Kind);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.True(Unix.IsSocket(mesh.SocketPath("stale")), "a sender never deletes a stale socket file");
    }

    [Fact]
    public async Task RegularFileAtTheSocketPathIsReportedAsNotASocketAndLeftAlone()
    {
        using var mesh = new TempMesh();
        File.WriteAllText(mesh.SocketPath("a"), "precious");
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 2).SendAsync("a", "x"u8.ToArray()).Within());

        // connect(2) says ECONNREFUSED for a regular file too; calling it a stale socket (and suggesting its removal) would be wrong.
        Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
        Assert.Equal(2, error.Attempts); // still retried: a starting sidecar replaces whatever is at its path
        Assert.Contains("regular file", error.Message);
        Assert.DoesNotContain("stale", error.Message + error.Hint);
        Assert.Equal("precious", File.ReadAllText(mesh.SocketPath("a")));
    }

    [Fact]
    public async Task BodyOverTheSendersCapFailsBeforeDialling()
    {
        using var mesh = new TempMesh();
        var sender = new SocketSender(mesh.Mesh, new SendOptions { MaxBodyLength = 10, ConnectAttempts = 1 });

        // No socket exists: had it dialled, this would be SocketNotFound.
        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", new byte[11]).Within());
        Assert.Equal(AsyaErrorKind.MessageTooLarge, error.Kind);
        Assert.Equal(0, error.Attempts);

        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        await sender.SendAsync("a", new byte[10]).Within(); // exactly the cap is fine
        Assert.Equal(10, (await listener.ReceiveAsync().Within()).Length);
    }

    [Fact]
    public async Task AlreadyCancelledSendNeitherDialsNorSends()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await mesh.Sender().SendAsync("a", "x"u8.ToArray(), new CancellationToken(canceled: true)).Within());
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(0, listener.Counters.Received);
        Assert.Equal(0, listener.Counters.RejectedTotal); // not even an empty connection
    }
}
