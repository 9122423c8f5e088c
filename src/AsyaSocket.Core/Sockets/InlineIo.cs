using System.Diagnostics;
using System.Net.Sockets;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Non-blocking system calls on the calling thread, waiting in poll(2) only until a near deadline. The common
/// exchange (the peer answers within a millisecond or two) then finishes without the socket engine's thread hops,
/// which cost more than the system calls themselves (bench/README.md). Each method reports how far it got; the
/// caller finishes what is left with the async calls, which carry the real timeouts and cancellation.
/// The socket must be non-blocking (<see cref="Socket.Blocking"/> false).
/// </summary>
internal static class InlineIo
{
    // Socket.Poll takes microseconds, but poll(2) waits in whole milliseconds.
    private const int PollSliceMicros = 1000;

    /// <summary>The deadline for inline waits starting now; 0 when inline waiting is off.</summary>
    public static long Deadline(TimeSpan inlineWait) =>
        inlineWait <= TimeSpan.Zero ? 0 : Stopwatch.GetTimestamp() + (long)(inlineWait.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The time left until <paramref name="deadline"/> (<see cref="Deadline"/>); zero when it passed or inline waiting is off.</summary>
    public static TimeSpan Remaining(long deadline) =>
        deadline == 0 || Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline) is not { Ticks: > 0 } left ? TimeSpan.Zero : left;

    /// <summary>Sends from <paramref name="data"/> until done or a wait would pass the deadline; returns the bytes sent.</summary>
    public static int Send(Socket socket, ReadOnlySpan<byte> data, long deadline)
    {
        var sent = 0;
        while (sent < data.Length)
        {
            var n = socket.Send(data[sent..], SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                sent += n;
            }
            else if (error != SocketError.WouldBlock)
            {
                throw new SocketException((int)error);
            }
            else if (!WaitUntil(socket, SelectMode.SelectWrite, deadline))
            {
                break;
            }
        }

        return sent;
    }

    /// <summary>Fills <paramref name="buffer"/> until done, end of stream (<paramref name="ended"/>), or a wait would pass the deadline; returns the bytes read.</summary>
    public static int Receive(Socket socket, Span<byte> buffer, long deadline, out bool ended)
    {
        ended = false;
        var got = 0;
        while (got < buffer.Length)
        {
            var n = socket.Receive(buffer[got..], SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                if (n == 0)
                {
                    ended = true;
                    break;
                }

                got += n;
            }
            else if (error != SocketError.WouldBlock)
            {
                throw new SocketException((int)error);
            }
            else if (!WaitUntil(socket, SelectMode.SelectRead, deadline))
            {
                break;
            }
        }

        return got;
    }

    private static bool WaitUntil(Socket socket, SelectMode mode, long deadline)
    {
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (socket.Poll(PollSliceMicros, mode))
            {
                return true;
            }
        }

        return false;
    }
}
