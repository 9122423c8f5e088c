using System.Buffers.Binary;
using System.Net.Sockets;

namespace AsyaSocket.Testing;

/// <summary>What came back on a raw connection after a frame.</summary>
public enum ReplyKind
{
    /// <summary>The ack byte 0x01.</summary>
    Ack,
    /// <summary>Some other byte.</summary>
    OtherByte,
    /// <summary>The peer closed: no ack.</summary>
    Eof,
    /// <summary>The peer reset the connection: no ack.</summary>
    Reset,
    /// <summary>Nothing within the limit.</summary>
    Timeout,
}

/// <summary>
/// In-process raw Unix-socket clients written from the protocol description, independent of the core: they send
/// exactly the bytes a test wants (including broken frames) and report exactly what comes back.
/// </summary>
public static class Raw
{
    public static Socket NewSocket() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public static async Task<Socket> ConnectAsync(string path)
    {
        var socket = NewSocket();
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).Within();
        return socket;
    }

    public static byte[] Header(uint length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    public static byte[] Frame(ReadOnlySpan<byte> body) => [.. Header((uint)body.Length), .. body];

    /// <inheritdoc cref="SendAllAsync(Socket, ReadOnlyMemory{byte})"/>
    public static Task SendAllAsync(Socket socket, byte[] bytes) => SendAllAsync(socket, bytes.AsMemory());

    /// <summary>Writes all of <paramref name="bytes"/>, however many sends it takes.</summary>
    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await socket.SendAsync(bytes, SocketFlags.None).AsTask().Within()..];
        }
    }

    /// <summary>Reads the one-byte reply, or says why there is none.</summary>
    public static async Task<(ReplyKind Kind, byte Byte)> ReadReplyAsync(Socket socket, TimeSpan? limit = null)
    {
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(limit ?? Bounds.Hang);
        try
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return read == 0 ? (ReplyKind.Eof, (byte)0) : buffer[0] == 0x01 ? (ReplyKind.Ack, (byte)1) : (ReplyKind.OtherByte, buffer[0]);
        }
        catch (OperationCanceledException)
        {
            return (ReplyKind.Timeout, (byte)0);
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset)
        {
            return (ReplyKind.Reset, (byte)0);
        }
    }

    /// <summary>Connects, writes <paramref name="bytes"/>, and returns the reply and what followed it (EOF expected).</summary>
    public static async Task<(ReplyKind Reply, ReplyKind After)> ExchangeAsync(string path, byte[] bytes)
    {
        using var socket = await ConnectAsync(path);
        await SendAllAsync(socket, bytes);
        var reply = await ReadReplyAsync(socket);
        var after = reply.Kind == ReplyKind.Ack ? (await ReadReplyAsync(socket)).Kind : reply.Kind;
        return (reply.Kind, after);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (fewer only at EOF).</summary>
    public static async Task<byte[]> ReadExactlyAsync(Socket connection, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        while (total < count)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None).AsTask().Within();
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return buffer[..total];
    }
}

/// <summary>An independent in-process receiver (raw sockets): captures the exact bytes a sender writes, and answers (or misbehaves) as told.</summary>
public sealed class RawServer : IDisposable
{
    private readonly Socket _listener = Raw.NewSocket();

    public RawServer(string path, int backlog = 16)
    {
        _listener.Bind(new UnixDomainSocketEndPoint(path));
        _listener.Listen(backlog);
    }

    public Socket Listener => _listener;

    public async Task<Socket> AcceptAsync(TimeSpan? limit = null) => await _listener.AcceptAsync().Within(limit);

    /// <summary>Reads one frame: the 4-byte big-endian length, then that many bytes.</summary>
    public static async Task<(byte[] Header, byte[] Body)> ReadFrameAsync(Socket connection)
    {
        var header = await Raw.ReadExactlyAsync(connection, 4);
        Assert.Equal(4, header.Length);
        var body = await Raw.ReadExactlyAsync(connection, (int)BinaryPrimitives.ReadUInt32BigEndian(header));
        return (header, body);
    }

    public void Dispose() => _listener.Dispose();
}
