using System.Buffers.Binary;
using System.Net.Sockets;

namespace AsyaSocket.TestPeer;

/// <summary>
/// Receivers and senders written directly on System.Net.Sockets from the protocol description, without the core:
/// the tests check the core against an independent implementation, including broken ones.
/// </summary>
internal static class RawVerbs
{
    private const int MaxBody = 100 * 1024 * 1024;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> ReceiveAsync(PeerCommand command)
    {
        var path = SocketPath(command);
        var mode = command.Arg(2, "mode");
        if (mode is not ("good" or "close-without-ack" or "wrong-ack" or "never-ack"))
        {
            throw new PeerUsageException($"unknown raw-receiver mode '{mode}'");
        }

        var count = command.Int("count", 1);

        // Like the sidecar: remove whatever is at the path, then listen.
        File.Delete(path);
        using var listener = NewSocket();
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        PeerOutput.Line($"READY {path}");
        for (var served = 0; served < count; served++)
        {
            using var connection = await listener.AcceptAsync();
            await ServeAsync(connection, mode);
        }

        PeerOutput.Line("DONE");
        return 0;
    }

    public static async Task<int> SendAsync(PeerCommand command)
    {
        var path = SocketPath(command);
        var mode = command.Arg(2, "mode");
        using var socket = NewSocket();
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException error)
        {
            PeerOutput.Line($"CONNECT-FAILED {error.SocketErrorCode}");
            return 2;
        }

        switch (mode)
        {
            case "frame":
            {
                var body = PeerOutput.Body("raw", 0, command.IntArg(3, "size"));
                var header = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(header, (uint)body.Length);
                if (command.Flag("trickle"))
                {
                    // One byte per write: the receiver must assemble the header and body from short reads.
                    foreach (var b in header.Concat(body))
                    {
                        await socket.SendAsync(new[] { b });
                    }
                }
                else
                {
                    // Header and body as two writes, as the sidecar does.
                    await SendAllAsync(socket, header);
                    await SendAllAsync(socket, body);
                }

                PeerOutput.Line($"SENT-FRAME {body.Length} {PeerOutput.Sha256(body)}");
                await ReportReplyAsync(socket, ReplyTimeout);
                return 0;
            }

            case "header":
            {
                var header = Convert.FromHexString(command.Arg(3, "hex"));
                if (header.Length != 4)
                {
                    throw new PeerUsageException("the header is 4 bytes (8 hex digits)");
                }

                await SendAllAsync(socket, header);
                PeerOutput.Line($"SENT-HEADER {Convert.ToHexString(header)}");
                await ReportReplyAsync(socket, ReplyTimeout);
                return 0;
            }

            case "partial-header":
                await SendAllAsync(socket, new byte[] { 0, 0 });
                socket.Close();
                PeerOutput.Line("CLOSED");
                return 0;

            case "connect-close":
                socket.Close();
                PeerOutput.Line("CLOSED");
                return 0;

            case "silent":
                PeerOutput.Line("CONNECTED");
                await ReportReplyAsync(socket, TimeSpan.FromMilliseconds(command.IntArg(3, "ms")));
                return 0;

            default:
                throw new PeerUsageException($"unknown raw-sender mode '{mode}'");
        }
    }

    private static async Task ServeAsync(Socket connection, string mode)
    {
        var header = new byte[4];
        var got = await ReceiveExactlyAsync(connection, header);
        if (got < header.Length)
        {
            PeerOutput.Line($"NOFRAME {got}");
            return;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > MaxBody)
        {
            PeerOutput.Line($"TOO-LARGE {length}");
            return;
        }

        var body = new byte[length];
        got = await ReceiveExactlyAsync(connection, body);
        if (got < body.Length)
        {
            PeerOutput.Line($"SHORT {got}");
            return;
        }

        PeerOutput.Line($"FRAME {length} {PeerOutput.Sha256(body)} {PeerOutput.Tag(body)}");
        switch (mode)
        {
            case "good":
                await SendAllAsync(connection, new byte[] { 0x01 });
                PeerOutput.Line("ACKED");

                // One frame per connection: after the ack the sender must close, not send more.
                PeerOutput.Line(await ReadAfterAsync(connection, ReplyTimeout) switch
                {
                    0 => "SENDER-CLOSED",
                    > 0 and var extra => $"EXTRA-BYTES {extra}",
                    _ => "SENDER-STILL-OPEN",
                });
                break;
            case "wrong-ack":
                await SendAllAsync(connection, new byte[] { 0x02 });
                PeerOutput.Line("SENT-BYTE 2");
                break;
            case "close-without-ack":
                PeerOutput.Line("CLOSING");
                break;
            case "never-ack":
                PeerOutput.Line("HOLDING");
                while (await ReadAfterAsync(connection, Timeout.InfiniteTimeSpan) > 0)
                {
                }

                PeerOutput.Line("PEER-CLOSED");
                break;
        }
    }

    private static async Task ReportReplyAsync(Socket socket, TimeSpan timeout)
    {
        var reply = new byte[1];
        string line;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                var read = await socket.ReceiveAsync(reply, SocketFlags.None, cancel.Token);
                line = read == 0 ? "REPLY EOF" : reply[0] == 0x01 ? "REPLY ACK" : $"REPLY BYTE {reply[0]}";
            }
            catch (OperationCanceledException)
            {
                line = "REPLY TIMEOUT";
            }
            catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset)
            {
                line = "REPLY RESET";
            }
        }

        PeerOutput.Line(line);
        if (line == "REPLY ACK")
        {
            // After the ack the receiver closes: nothing else may follow.
            var after = await ReadAfterAsync(socket, ReplyTimeout);
            PeerOutput.Line(after == 0 ? "THEN EOF" : after > 0 ? $"THEN BYTES {after}" : "THEN STILL-OPEN");
        }
    }

    /// <summary>Bytes read (0 at EOF or reset), or -1 when nothing happened within <paramref name="timeout"/>.</summary>
    private static async Task<int> ReadAfterAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return -1;
        }
        catch (SocketException)
        {
            return 0;
        }
    }

    private static async Task<int> ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (SocketException)
        {
        }

        return total;
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            buffer = buffer[await socket.SendAsync(buffer, SocketFlags.None)..];
        }
    }

    // Computed here from the protocol (mesh + "/" + name + ".sock"), not with the core's MeshDirectory.
    private static string SocketPath(PeerCommand command) => Path.Join(command.Arg(0, "mesh"), command.Arg(1, "actor") + ".sock");

    private static Socket NewSocket() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
}
