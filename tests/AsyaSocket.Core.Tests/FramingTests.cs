using System.Text;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>Protocol §2: the 4-byte big-endian length, the body, the 0x01 ack, checked byte for byte against raw sockets.</summary>
public class FramingTests
{
    public static TheoryData<string, byte[]> Bodies => new()
    {
        { "empty", Array.Empty<byte>() },
        { "short", "hello"u8.ToArray() },
        { "json", Encoding.UTF8.GetBytes("""{"id":"3f2c9a1e","route":{"prev":[],"curr":"a","next":[]},"headers":{},"payload":{"ü":"😀"}}""") },
        { "binary", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray() },
        { "over 64 KiB (header and body written separately)", Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray() },
    };

    [Theory]
    [InlineData(0, new byte[] { 0, 0, 0, 0 })]
    [InlineData(5, new byte[] { 0, 0, 0, 5 })]
    [InlineData(0x01020304, new byte[] { 1, 2, 3, 4 })]
    [InlineData(104857600, new byte[] { 0x06, 0x40, 0x00, 0x00 })]
    public void HeaderIsBigEndianLength(int length, byte[] expected)
    {
        var header = new byte[FrameHeader.Size];
        FrameHeader.Write(header, length);
        Assert.Equal(expected, header);
        Assert.Equal((uint)length, FrameHeader.Read(header));
    }

    [Fact]
    public void HeaderConstantsAndLimits()
    {
        Assert.Equal(4, FrameHeader.Size);
        Assert.Equal(0x01, FrameHeader.Ack);
        Assert.Equal(104857600, FrameHeader.DefaultMaxBodyLength);
        Assert.Equal(0x10000001u, FrameHeader.Read(new byte[] { 0x10, 0x00, 0x00, 0x01 }));
        Assert.Equal(uint.MaxValue, FrameHeader.Read(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FrameHeader.Write(new byte[4], -1));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task SenderWritesExactlyHeaderAndBodyThenClosesAfterTheAck(string name, byte[] body)
    {
        _ = name;
        using var mesh = new TempMesh();
        using var server = new RawServer(mesh.SocketPath("a"));
        var send = mesh.Sender().SendAsync("a", body).AsTask();

        using (var connection = await server.AcceptAsync())
        {
            var (header, received) = await RawServer.ReadFrameAsync(connection);
            Assert.Equal(Raw.Header((uint)body.Length), header);
            Assert.Equal(body, received);
            await Raw.SendAllAsync(connection, new byte[] { 0x01 });

            // One frame per connection: after the ack the sender closes and writes nothing more.
            Assert.Empty(await Raw.ReadExactlyAsync(connection, 1));
        }

        var result = await send.Within();
        Assert.Equal(body.Length, result.BodyLength);
        Assert.Equal(mesh.SocketPath("a"), result.Address);
        Assert.Equal("a", result.Actor);
        Assert.Equal(1, result.Attempts);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task ListenerReadsRawFramesAndAcksWithOneByteThenCloses(string name, byte[] body)
    {
        _ = name;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var socket = await Raw.ConnectAsync(listener.Address);

        // Header and body as two writes, like the sidecar.
        await Raw.SendAllAsync(socket, Raw.Header((uint)body.Length));
        await Raw.SendAllAsync(socket, body);

        Assert.Equal((ReplyKind.Ack, (byte)1), await Raw.ReadReplyAsync(socket));
        Assert.Equal(ReplyKind.Eof, (await Raw.ReadReplyAsync(socket)).Kind);
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(body, message.ToArray());
        Assert.Equal(body.Length, message.Length);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task CoreSenderToCoreListenerRoundTripsEveryBody(string name, byte[] body)
    {
        _ = name;
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        await mesh.Sender().SendAsync("a", body).Within();
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(Encoding.UTF8.GetString(body), message.GetText());
    }

    [Fact]
    public async Task ListenerAssemblesAFrameWrittenOneByteAtATime()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        using var socket = await Raw.ConnectAsync(listener.Address);
        var body = "short reads are normal"u8.ToArray();
        foreach (var b in Raw.Frame(body))
        {
            await Raw.SendAllAsync(socket, new[] { b });
            await Task.Yield();
        }

        Assert.Equal(ReplyKind.Ack, (await Raw.ReadReplyAsync(socket)).Kind);
        Assert.Equal(body, (await listener.ReceiveAsync().Within()).ToArray());
    }

    [Fact]
    public async Task ListenerReadsOneFramePerConnectionAndIgnoresASecond()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var (reply, after) = await Raw.ExchangeAsync(listener.Address, [.. Raw.Frame("first"u8), .. Raw.Frame("second"u8)]);

        Assert.Equal(ReplyKind.Ack, reply); // exactly one ack byte ...
        Assert.True(after is ReplyKind.Eof or ReplyKind.Reset, $"expected the connection closed after the ack, got {after}"); // ... then the close
        Assert.Equal("first", (await listener.ReceiveAsync().Within()).GetText());
        await Task.Delay(Bounds.Quiet);
        Assert.Empty(listener.DrainBuffered());
        Assert.Equal(1, listener.Counters.Received);
        Assert.Equal(1, listener.Counters.Acked);
    }
}
