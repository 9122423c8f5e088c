using System.Net.Sockets;

namespace AsyaSocket.Core.Sockets;

/// <summary>Whole-buffer reads and writes over a stream socket: the peer may split or merge writes freely.</summary>
internal static class SocketIo
{
    /// <summary>Sends every byte of <paramref name="buffer"/>.</summary>
    public static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            var sent = await socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            buffer = buffer[sent..];
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; returns how many bytes arrived before the peer closed (less than the length only at EOF).</summary>
    public static async ValueTask<int> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
