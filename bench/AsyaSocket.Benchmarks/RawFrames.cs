using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AsyaSocket.Benchmarks;

/// <summary>The Asya exchange written directly against <see cref="Socket"/>: the baselines and the helper peers.</summary>
internal static class RawFrames
{
    public const byte Ack = 0x01;

    /// <summary>A whole frame, header and body in one buffer: the least a sender can write.</summary>
    public static byte[] Frame(int bodyLength)
    {
        var frame = new byte[4 + bodyLength];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)bodyLength);
        for (var i = 0; i < bodyLength; i++)
        {
            frame[4 + i] = (byte)((i * 131) + 7);
        }

        return frame;
    }

    public static Socket NewSocket() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    /// <summary>One blocking exchange: connect, write the frame, read the ack, close.</summary>
    public static void SendSync(EndPoint endPoint, byte[] frame)
    {
        using var socket = NewSocket();
        socket.Connect(endPoint);
        SendAll(socket, frame);
        Span<byte> ack = stackalloc byte[1];
        if (socket.Receive(ack) != 1 || ack[0] != Ack)
        {
            throw new InvalidOperationException("no ack");
        }
    }

    public static void SendAll(Socket socket, ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[socket.Send(buffer)..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed first.</summary>
    public static bool ReceiveExactly(Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = socket.Receive(buffer);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[await socket.SendAsync(buffer, SocketFlags.None).ConfigureAwait(false)..];
        }
    }

    public static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }

    /// <summary>
    /// Sends one small real frame until a receiver answers (it may still be binding): a bare connect-then-close
    /// would make the C receiver exit, and the Asya protocol has no other probe.
    /// </summary>
    public static void WaitUntilServing(string socketPath, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        var frame = Frame(1);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                SendSync(endPoint, frame);
                return;
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused
                                                     && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
            catch (SocketException error)
            {
                throw new InvalidOperationException($"The receiver at '{socketPath}' did not start: {error.Message}. {diagnostics?.Invoke()}", error);
            }
        }
    }
}
