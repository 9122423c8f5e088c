using System.Diagnostics;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Protocol §2: broken frames from raw clients are closed without an ack, counted by reason, and never reach the
/// consumer; the listener keeps serving afterwards.
/// </summary>
public class ListenerRejectionTests
{
    private static async Task AssertStillServes(TempMesh mesh, SocketListener listener)
    {
        await mesh.Sender().SendAsync(listener.Actor, "still serving"u8.ToArray()).Within();
        Assert.Equal("still serving", (await listener.ReceiveAsync().Within()).GetText());
    }

    private static async Task AssertRejectedOnly(SocketListener listener, RejectReason reason)
    {
        await Bounds.Eventually(() => listener.Counters.RejectedFor(reason) == 1, $"one {reason} rejection is counted");
        var counters = listener.Counters;
        Assert.Equal(1, counters.RejectedTotal);
        Assert.Equal(0, counters.Received);
        Assert.Equal(0, counters.Acked);
        Assert.Empty(listener.DrainBuffered());
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x00, 0x00, 0x01 })] // the reference's oversize case: 268435457
    [InlineData(new byte[] { 0x06, 0x40, 0x00, 0x01 })] // 100 MiB + 1
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })] // more than int.MaxValue
    public async Task OversizeHeaderIsClosedWithoutAckAndCountedFrameTooLarge(byte[] header)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var (reply, _) = await Raw.ExchangeAsync(listener.Address, header);

        Assert.True(reply is ReplyKind.Eof or ReplyKind.Reset, $"expected the connection closed without an ack, got {reply}");
        await AssertRejectedOnly(listener, RejectReason.FrameTooLarge);
        await AssertStillServes(mesh, listener);
    }

    [Fact]
    public async Task ConfiguredBodyCapRejectsOneByteMoreAndTheSenderSeesNoAck()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { MaxBodyLength = 16 });
        var sender = mesh.Sender();
        await sender.SendAsync("a", new byte[16]).Within();
        Assert.Equal(16, (await listener.ReceiveAsync().Within()).Length);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", new byte[17]).Within());
        Assert.Equal(AsyaErrorKind.NotAcknowledged, error.Kind);
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.FrameTooLarge) == 1, "the oversize frame is counted");
        Assert.Empty(listener.DrainBuffered());
    }

    [Fact]
    public async Task PartialHeaderThenCloseIsTruncatedHeader()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using (var socket = await Raw.ConnectAsync(listener.Address))
        {
            await Raw.SendAllAsync(socket, new byte[] { 0, 0 });
        }

        await AssertRejectedOnly(listener, RejectReason.TruncatedHeader);
        await AssertStillServes(mesh, listener);
    }

    [Fact]
    public async Task ConnectThenCloseIsEmptyConnection()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        (await Raw.ConnectAsync(listener.Address)).Dispose();

        await AssertRejectedOnly(listener, RejectReason.EmptyConnection);
        await AssertStillServes(mesh, listener);
    }

    // A large body's rest is read in one blocking, timed read (SocketListener.WaitAllFrom), which the sender's close
    // must end at once: with a 2 s inline wait, only the close can end it within a second.
    [Theory]
    [InlineData(100, 10, 1)]
    [InlineData(512 * 1024, 10, 2000)]
    [InlineData(512 * 1024, 300 * 1024, 2000)]
    public async Task PartialBodyThenCloseIsTruncatedBody(int announced, int sent, int inlineWaitMs)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { InlineWait = TimeSpan.FromMilliseconds(inlineWaitMs) });
        using (var socket = await Raw.ConnectAsync(listener.Address))
        {
            await Raw.SendAllAsync(socket, [.. Raw.Header((uint)announced), .. new byte[sent]]);
        }

        var closed = Stopwatch.StartNew();
        await AssertRejectedOnly(listener, RejectReason.TruncatedBody);
        Assert.True(closed.Elapsed < TimeSpan.FromSeconds(1), $"the truncated frame was rejected only after {closed.ElapsedMilliseconds} ms");
        await AssertStillServes(mesh, listener);
    }

    [Fact]
    public async Task SilentPeerIsClosedAfterTheReadTimeoutWithoutAck()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { ReadTimeout = TimeSpan.FromMilliseconds(300) });
        using var socket = await Raw.ConnectAsync(listener.Address);
        await Raw.SendAllAsync(socket, [.. Raw.Header(10), .. new byte[3]]); // then nothing more

        var reply = await Raw.ReadReplyAsync(socket);
        Assert.True(reply.Kind is ReplyKind.Eof or ReplyKind.Reset, $"expected the listener to close the silent connection, got {reply.Kind}");
        await AssertRejectedOnly(listener, RejectReason.ReadTimeout);
        await AssertStillServes(mesh, listener);
    }

    [Fact]
    public async Task IndependentPeerProcessSendingOnlyTheHeaderOf100MiBPlusOneGetsNoAck()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var peer = PeerProcess.Start("raw-sender", mesh.Path, "a", "header", "06400001");
        await peer.ExpectAsync("SENT-HEADER 06400001");
        var reply = await peer.ExpectAsync("REPLY ");
        Assert.Contains(reply[0], new[] { "EOF", "RESET" });
        Assert.Equal(0, await peer.ExitCodeAsync());
        await AssertRejectedOnly(listener, RejectReason.FrameTooLarge);
    }
}
