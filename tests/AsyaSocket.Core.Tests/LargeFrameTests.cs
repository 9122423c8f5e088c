using System.Security.Cryptography;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>Protocol §2: the 100 MiB cap. Exactly 100 MiB is accepted; one byte more is refused before anything is allocated.</summary>
[Collection(Serial.Name)]
public class LargeFrameTests
{
    private const int HundredMiB = 100 * 1024 * 1024;

    [Fact]
    public async Task Exactly100MiBIsAcceptedIntact()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "big");
        var body = new byte[HundredMiB];
        new Random(1234).NextBytes(body);
        var expected = SHA256.HashData(body);

        var result = await mesh.Sender().SendAsync("big", body).Within();
        Assert.Equal(HundredMiB, result.BodyLength);
        body = null;

        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(HundredMiB, message.Length);
        Assert.Equal(expected, SHA256.HashData(message.Body.Span));
    }

    [Fact]
    public async Task HundredMiBPlusOneIsRejectedWithoutAckAndWithoutAllocatingTheBody()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "big");
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        // Only the header is written: a listener that allocated first would allocate 100 MiB + 1 here.
        var (reply, _) = await Raw.ExchangeAsync(listener.Address, Raw.Header(HundredMiB + 1));
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.FrameTooLarge) == 1, "the frame is counted FrameTooLarge");

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(reply is ReplyKind.Eof or ReplyKind.Reset, $"expected no ack, got {reply}");
        Assert.True(allocated < 16 * 1024 * 1024, $"{allocated} bytes were allocated while rejecting the frame");
        Assert.Equal(0, listener.Counters.Received);
        Assert.Empty(listener.DrainBuffered());
    }
}
