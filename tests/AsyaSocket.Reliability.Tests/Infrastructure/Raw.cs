using System.Buffers.Binary;
using System.Net.Sockets;

namespace AsyaSocket.Reliability.Tests;

/// <summary>What came back on a raw connection.</summary>
public enum ReplyKind
{
    Ack,
    OtherByte,
    Eof,
    Reset,
    Timeout,
}

/// <summary>Raw Unix-socket clients and servers written from the protocol description, independent of the core.</summary>
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
                return buffer[..total];
            }

            total += read;
        }

        return buffer;
    }
}

/// <summary>A receiver on raw sockets that misbehaves as told: it counts the connections it accepts.</summary>
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

    /// <summary>Reads one whole frame (header then body) from <paramref name="connection"/>.</summary>
    public static async Task<byte[]> ReadFrameAsync(Socket connection)
    {
        var header = await Raw.ReadExactlyAsync(connection, 4);
        Assert.Equal(4, header.Length);
        return await Raw.ReadExactlyAsync(connection, (int)BinaryPrimitives.ReadUInt32BigEndian(header));
    }

    public void Dispose() => _listener.Dispose();
}
