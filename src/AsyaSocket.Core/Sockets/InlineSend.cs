using System.Net.Sockets;
using AsyaSocket.Core.Sockets.Native;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// A sender's exchange on a raw descriptor, on the calling thread: connect, write the frame, read the ack, close,
/// on a blocking socket whose every call waits at most the inline wait (SO_SNDTIMEO, SO_RCVTIMEO); the system calls a
/// C sender makes, and the two setsockopt(2) that bound them. What is not done by the deadline goes on as a
/// <see cref="Socket"/>, asynchronously, where the timeouts and cancellation are.
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
    /// Runs the exchange as far as it goes within <paramref name="inlineWait"/>: each call waits at most that long, and
    /// a send that is still partial once it passed goes on asynchronously. <paramref name="first"/> and
    /// <paramref name="second"/> (the frame's two parts) are left holding what is still to send; a failed write or read
    /// throws <see cref="SocketException"/>, as the socket would.
    /// </summary>
    public static Outcome Run(byte[] address, ref ReadOnlyMemory<byte> first, ref ReadOnlyMemory<byte> second, Span<byte> ack, TimeSpan inlineWait, out Socket? rest)
    {
        rest = null;
        var deadline = InlineIo.Deadline(inlineWait);
        var fd = UnixSocketCalls.NewTimedSocket(inlineWait, out var errno);
        if (fd < 0)
        {
            throw UnixSocketCalls.Failure(errno);
        }

        var handedOver = false;
        try
        {
            // A Unix socket connect completes at once, or fails at once, or (EAGAIN: the backlog is full) within the inline wait.
            if (UnixSocketCalls.Connect(fd, address, out _) < 0)
            {
                return Outcome.NotConnected;
            }

            if (Send(fd, ref first, ref second, deadline))
            {
                switch (ReceiveAck(fd, ack))
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

    // True when all of data went out; false when the socket's send limit passed with nothing sent, or the deadline
    // with the frame still partial (a large body, a receiver reading slowly).
    private static bool Send(int fd, ref ReadOnlyMemory<byte> first, ref ReadOnlyMemory<byte> second, long deadline)
    {
        while (!first.IsEmpty || !second.IsEmpty)
        {
            var sent = UnixSocketCalls.SendPair(fd, first.Span, second.Span, out var errno);
            if (sent < 0)
            {
                return errno == UnixSocketCalls.EAgain ? false : throw UnixSocketCalls.Failure(errno);
            }

            var fromFirst = (int)Math.Min(sent, first.Length);
            first = first[fromFirst..];
            second = second[(int)(sent - fromFirst)..];
            if ((!first.IsEmpty || !second.IsEmpty) && System.Diagnostics.Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }
        }

        return true;
    }

    // The ack byte (1), the receiver's close (0), or -1 when it did not come within the socket's receive limit.
    private static int ReceiveAck(int fd, Span<byte> ack)
    {
        var got = UnixSocketCalls.Receive(fd, ack[..1], out var errno);
        if (got >= 0)
        {
            return (int)got;
        }

        return errno == UnixSocketCalls.EAgain ? -1 : throw UnixSocketCalls.Failure(errno);
    }
}
