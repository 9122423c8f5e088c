using System.Globalization;
using System.Security.Cryptography;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// The reference's component cases (§7), across processes: the test peer sends to or receives from this process
/// over real sockets, with the core on both sides or with the peer's raw (core-independent) sender.
/// </summary>
public class CrossProcessTests
{
    private static string Sha(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    [Fact]
    public async Task PeerSendsToOurListenerInFifoOrderAndEverySendIsAcked()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var peer = PeerProcess.Start("send", mesh.Path, "a", "20", "64", "--tag", "p");

        var sent = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var line = await peer.ExpectAsync("SENT ");
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), line[0]);
            Assert.Equal("1", line[3]); // one dial each: a completed send means the ack came back
            sent.Add(line[2]);
        }

        Assert.Equal(0, await peer.ExitCodeAsync());
        for (var i = 0; i < 20; i++)
        {
            var message = await listener.ReceiveAsync().Within();
            Assert.Equal(sent[i], Sha(message.Body.Span));
            Assert.StartsWith($"p-{i}|", message.GetText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OurSenderToPeerListenerInFifoOrderAndThePeerRemovesItsSocketOnExit()
    {
        using var mesh = new TempMesh();
        using var peer = PeerProcess.Start("receive", mesh.Path, "b", "5");
        var path = await peer.ReadyAsync();
        Assert.Equal(mesh.SocketPath("b"), path);
        Assert.True(Unix.IsSocket(path));

        var sender = mesh.Sender();
        var hashes = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var body = RandomNumberGenerator.GetBytes(100 + i);
            await sender.SendAsync("b", body).Within(); // returning at all means the ack came back
            hashes.Add(Sha(body));
        }

        var transportIds = new HashSet<string>();
        foreach (var hash in hashes)
        {
            var line = await peer.ExpectAsync("RECV ");
            Assert.Equal(hash, line[1]);
            Assert.True(transportIds.Add(line[2]), "transport ids are fresh per message");
        }

        await peer.ExpectAsync("DONE");
        Assert.Equal(0, await peer.ExitCodeAsync());
        Assert.Null(Unix.Stat(path));
    }

    [Fact]
    public async Task OneMiBPayloadArrivesIntactInBothDirections()
    {
        const int OneMiB = 1024 * 1024;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "here");
        using (var sender = PeerProcess.Start("send", mesh.Path, "here", "1", OneMiB.ToString(CultureInfo.InvariantCulture)))
        {
            var line = await sender.ExpectAsync("SENT 0 ");
            Assert.Equal(OneMiB.ToString(CultureInfo.InvariantCulture), line[0]);
            var message = await listener.ReceiveAsync().Within();
            Assert.Equal(OneMiB, message.Length);
            Assert.Equal(line[1], Sha(message.Body.Span));
        }

        using var receiver = PeerProcess.Start("receive", mesh.Path, "there", "1");
        await receiver.ReadyAsync();
        var body = RandomNumberGenerator.GetBytes(OneMiB);
        await mesh.Sender().SendAsync("there", body).Within();
        var received = await receiver.ExpectAsync("RECV ");
        Assert.Equal(OneMiB.ToString(CultureInfo.InvariantCulture), received[0]);
        Assert.Equal(Sha(body), received[1]);
    }

    [Fact]
    public async Task IndependentRawSenderWritingOneByteAtATimeIsReceivedAndAckedOnce()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var peer = PeerProcess.Start("raw-sender", mesh.Path, "a", "frame", "3000", "--trickle");
        var sent = await peer.ExpectAsync("SENT-FRAME ");
        await peer.ExpectAsync("REPLY ACK");
        await peer.ExpectAsync("THEN EOF"); // the listener closes after its single ack byte
        Assert.Equal(0, await peer.ExitCodeAsync());

        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(3000, message.Length);
        Assert.Equal(sent[1], Sha(message.Body.Span));
    }

    [Fact]
    public async Task IndependentRawSenderMisbehavingIsCountedAndNeverAcked()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        foreach (var mode in new[] { "connect-close", "partial-header" })
        {
            using var peer = PeerProcess.Start("raw-sender", mesh.Path, "a", mode);
            await peer.ExpectAsync("CLOSED");
            Assert.Equal(0, await peer.ExitCodeAsync());
        }

        await Bounds.Eventually(() => listener.Counters.RejectedTotal == 2, "both connections are counted");
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.EmptyConnection));
        Assert.Equal(1, listener.Counters.RejectedFor(RejectReason.TruncatedHeader));
        Assert.Equal(0, listener.Counters.Acked);
    }

    [Fact]
    public async Task RequeueWorksOnMessagesFromAnotherProcess()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var peer = PeerProcess.Start("send", mesh.Path, "a", "2", "16", "--tag", "q");
        Assert.Equal(0, await peer.ExitCodeAsync());

        var first = await listener.ReceiveAsync().Within();
        await listener.RequeueAsync(first).Within();
        Assert.Same(first, await listener.ReceiveAsync().Within());
        Assert.StartsWith("q-1|", (await listener.ReceiveAsync().Within()).GetText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CrashedPeerLeavesAStaleSocketThatRefusesAndIsReplacedOnListen()
    {
        using var mesh = new TempMesh();
        using (var peer = PeerProcess.Start("receive", mesh.Path, "crashy", "100"))
        {
            await peer.ReadyAsync();
            peer.Kill(); // SIGKILL: no chance to remove its socket file
        }

        Assert.True(Unix.IsSocket(mesh.SocketPath("crashy")));
        var refused = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 2).SendAsync("crashy", "x"u8.ToArray()).Within());
        Assert.Equal(AsyaErrorKind.ConnectionRefused, refused.Kind);
        Assert.Equal(2, refused.Attempts);

        await using var listener = SocketListener.Start(mesh.Mesh, "crashy");
        await mesh.Sender(dialAttempts: 1).SendAsync("crashy", "back"u8.ToArray()).Within();
        Assert.Equal("back", (await listener.ReceiveAsync().Within()).GetText());
    }
}
