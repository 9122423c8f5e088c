using System.Net.Sockets;
using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A sender's exchange on a raw descriptor, on the calling thread: connect, write the frame, read the ack, close,
/// waiting in poll(2) only until the inline deadline; the system calls a C sender makes, and nothing else. What is
/// not done by the deadline goes on as a <see cref="Socket"/>, asynchronously, where the timeouts and cancellation are.
/// </summary>
internal static class InlineSend
{
    public enum Outcome
    {
        /// <summary>The ack byte arrived (in the caller's buffer): the exchange is over.</summary>
        Answered,

        /// <summary>The receiver closed before any ack byte.</summary>
        ClosedWithoutAck,

        /// <summary>The connect failed: the dial loop, which retries and describes failures, takes over.</summary>
        NotConnected,

        /// <summary>The receiver is slow: the rest of the frame and the ack are for the asynchronous path, on the returned socket.</summary>
        Continue,
    }

    /// <summary>
    /// Runs the exchange as far as it goes by <paramref name="deadline"/>. <paramref name="first"/> and
    /// <paramref name="second"/> (the frame's two parts) are left holding what is still to send; a failed write or read
    /// throws <see cref="SocketException"/>, as the socket would.
    /// </summary>
    public static Outcome Run(byte[] address, ref ReadOnlyMemory<byte> first, ref ReadOnlyMemory<byte> second, Span<byte> ack, long deadline, out Socket? rest)
    {
        rest = null;
        var fd = UnixSocketCalls.NewSocket(out var errno);
        if (fd < 0)
        {
            throw UnixSocketCalls.Failure(errno);
        }

        var handedOver = false;
        try
        {
            // A Unix socket connect completes at once or fails at once (EAGAIN: the backlog is full).
            if (UnixSocketCalls.Connect(fd, address, out _) < 0)
            {
                return Outcome.NotConnected;
            }

            if (Send(fd, ref first, ref second, deadline))
            {
                switch (ReceiveAck(fd, ack, deadline))
                {
                    case > 0:
                        return Outcome.Answered;
                    case 0:
                        return Outcome.ClosedWithoutAck;
                }
            }

            rest = new Socket(new SafeSocketHandle(fd, ownsHandle: true)) { Blocking = false };
            handedOver = true;
            return Outcome.Continue;
        }
        finally
        {
            if (!handedOver)
            {
                UnixSocketCalls.Close(fd);
            }
        }
    }

    // True when all of data went out; false when a wait would pass the deadline.
    private static bool Send(int fd, ref ReadOnlyMemory<byte> first, ref ReadOnlyMemory<byte> second, long deadline)
    {
        while (!first.IsEmpty || !second.IsEmpty)
        {
            var sent = UnixSocketCalls.SendPair(fd, first.Span, second.Span, out var errno);
            if (sent >= 0)
            {
                var fromFirst = (int)Math.Min(sent, first.Length);
                first = first[fromFirst..];
                second = second[(int)(sent - fromFirst)..];
            }
            else if (errno != UnixSocketCalls.EAgain)
            {
                throw UnixSocketCalls.Failure(errno);
            }
            else if (!UnixSocketCalls.WaitUntil(fd, forWrite: true, deadline))
            {
                return false;
            }
        }

        return true;
    }

    private static int ReceiveAck(int fd, Span<byte> ack, long deadline)
    {
        while (true)
        {
            if (!UnixSocketCalls.WaitUntil(fd, forWrite: false, deadline))
            {
                return -1;
            }

            var got = UnixSocketCalls.Receive(fd, ack[..1], out var errno);
            if (got >= 0)
            {
                return (int)got;
            }

            if (errno != UnixSocketCalls.EAgain)
            {
                throw UnixSocketCalls.Failure(errno);
            }
        }
    }
}
