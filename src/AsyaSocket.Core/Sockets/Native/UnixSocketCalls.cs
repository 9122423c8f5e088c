using System.Runtime.InteropServices;

namespace AsyaSocket.Core.Sockets.Native;

/// <summary>
/// The socket system calls of one exchange, called directly on a raw descriptor: what a C peer does. A
/// <see cref="System.Net.Sockets.Socket"/> costs more per exchange than the calls themselves (an object with a
/// finalizable handle, two fcntl calls to make it non-blocking, an address encoded per connect), which the
/// benchmarks showed as a quarter of a send (bench/README.md). Linux on x64 and arm64 only, where these constants
/// hold; elsewhere <see cref="Supported"/> is false and the callers use <see cref="System.Net.Sockets.Socket"/>.
/// </summary>
internal static unsafe partial class UnixSocketCalls
{
    public const int EIntr = 4;
    public const int EAgain = 11;

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int SockNonBlock = 0x800;
    private const int SockCloExec = 0x80000;
    private const int MsgNoSignal = 0x4000;
    private const int MsgPeek = 0x2;
    private const int MsgWaitAll = 0x100;
    private const int ShutRdWr = 2;
    private const int SolSocket = 1;
    private const int SoRcvTimeo = 20; // SO_RCVTIMEO and SO_SNDTIMEO with a 64-bit struct timeval, on x64 and arm64 alike
    private const int SoSndTimeo = 21;
    private const short PollIn = 0x1;
    private const int FGetFl = 3;
    private const int FSetFl = 4;
    private const int ONonBlock = 0x800; // 04000 on x64 and arm64 alike

    /// <summary>
    /// True where the raw calls are used. ASYASOCKET_PORTABLE_SOCKETS=1 turns them off for the process, so the
    /// portable path stays tested here (test.sh runs the core and contract suites both ways) and can rule them out.
    /// </summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
        && Environment.GetEnvironmentVariable("ASYASOCKET_PORTABLE_SOCKETS") != "1";

    /// <summary>The sockaddr_un of <paramref name="path"/> (family, path, NUL), built once per target.</summary>
    public static byte[] AddressOf(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        var address = new byte[sizeof(ushort) + bytes.Length + 1];
        BitConverter.TryWriteBytes(address, (ushort)AfUnix);
        bytes.CopyTo(address, sizeof(ushort));
        return address;
    }

    /// <summary>
    /// A new blocking, close-on-exec stream socket whose connect, sends and receives each wait at most
    /// <paramref name="eachCall"/> (SO_SNDTIMEO, SO_RCVTIMEO), then fail with EAGAIN: a sender's bounded wait for the
    /// ack inside its recv(2), with no poll(2) before it (which cost a C sender 10-18 % of its rate at 64 KiB).
    /// -1 and <paramref name="errno"/> on failure.
    /// </summary>
    public static int NewTimedSocket(TimeSpan eachCall, out int errno)
    {
        var fd = Check(SysSocket(AfUnix, SockStream | SockCloExec, 0), out errno);
        if (fd < 0)
        {
            return fd;
        }

        var limit = TimeValue.Of(eachCall);
        if (SysSetSockOpt(fd, SolSocket, SoRcvTimeo, &limit, sizeof(TimeValue)) < 0 || SysSetSockOpt(fd, SolSocket, SoSndTimeo, &limit, sizeof(TimeValue)) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            SysClose(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>
    /// Makes a descriptor blocking, each accept(2) or receive on it waiting at most <paramref name="eachCall"/>
    /// (SO_RCVTIMEO, then EAGAIN). On the listening descriptor the accept thread so waits inside accept, as a C
    /// receiver does, with no poll(2) before it (which cost a C receiver about 5 % of its rate at 64 B), and still sees
    /// a stop that came first within that time. False and <paramref name="errno"/> when it could not; the descriptor is
    /// then as it was, or non-blocking with the limit set.
    /// </summary>
    public static bool MakeTimedBlocking(int fd, TimeSpan eachCall, out int errno)
    {
        var limit = TimeValue.Of(eachCall);
        var flags = SysFcntl(fd, FGetFl, 0);
        var done = flags >= 0
            && SysSetSockOpt(fd, SolSocket, SoRcvTimeo, &limit, sizeof(TimeValue)) == 0
            && SysFcntl(fd, FSetFl, flags & ~ONonBlock) == 0;
        errno = done ? 0 : Marshal.GetLastPInvokeError();
        return done;
    }

    /// <summary>connect(2); 0, or -1 and <paramref name="errno"/>.</summary>
    public static int Connect(int fd, byte[] address, out int errno)
    {
        fixed (byte* a = address)
        {
            int result;
            while ((result = SysConnect(fd, a, address.Length)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(result, out errno);
        }
    }

    /// <summary>send(2) without SIGPIPE; bytes sent, or -1 and <paramref name="errno"/> (EAGAIN: would block).</summary>
    public static nint Send(int fd, ReadOnlySpan<byte> data, out int errno)
    {
        fixed (byte* d = data)
        {
            nint sent;
            while ((sent = SysSend(fd, d, data.Length, MsgNoSignal)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(sent, out errno);
        }
    }

    /// <summary>
    /// sendmsg(2) of two buffers (a frame's header and body) in one call, without SIGPIPE: one wakeup of the receiver
    /// where two sends make two. Bytes sent, or -1 and <paramref name="errno"/> (EAGAIN: would block).
    /// </summary>
    public static nint SendPair(int fd, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, out int errno)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var parts = stackalloc IoVec[2];
            Describe(parts, a, first.Length, b, second.Length);
            var message = new MessageHeader { Parts = parts, PartCount = 2 };
            nint sent;
            while ((sent = SysSendMsg(fd, &message, MsgNoSignal)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(sent, out errno);
        }
    }

    /// <summary>recv(2); bytes read (0: the peer closed), or -1 and <paramref name="errno"/> (EAGAIN: nothing yet).</summary>
    public static nint Receive(int fd, Span<byte> buffer, out int errno) => Recv(fd, buffer, 0, out errno);

    /// <summary>accept4(2) of one connection, non-blocking and close-on-exec; -1 and <paramref name="errno"/> on failure.</summary>
    public static int Accept(int listeningFd, out int errno)
    {
        int fd;
        while ((fd = SysAccept4(listeningFd, null, null, SockNonBlock | SockCloExec)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
        {
        }

        return Check(fd, out errno);
    }

    /// <summary>
    /// The rest of a large body in one recv(2) with MSG_WAITALL, the non-blocking descriptor made blocking for the call
    /// (<see cref="MakeTimedBlocking"/>) and its wait bounded by <paramref name="limit"/> (SO_RCVTIMEO, which the kernel
    /// rounds up to a clock tick; a signal before any byte came starts it again):
    /// the kernel copies each socket buffer's worth as the sender writes it, where a non-blocking read makes three calls
    /// for each (recv, poll, recv). The descriptor is non-blocking again afterwards. Bytes read (fewer when the time ran
    /// out or a signal came), 0 when the peer closed first, or -1 and <paramref name="errno"/> (EAGAIN: nothing in time).
    /// </summary>
    public static nint ReceiveAllWithin(int fd, Span<byte> buffer, TimeSpan limit, out int errno)
    {
        if (!MakeTimedBlocking(fd, limit, out errno))
        {
            return -1;
        }

        var got = Recv(fd, buffer, MsgWaitAll, out errno);
        // An accepted descriptor has no other status flag to keep (accept4 gave it only O_NONBLOCK).
        if (SysFcntl(fd, FSetFl, ONonBlock) < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1; // a descriptor left blocking would hold whoever reads it next: the connection fails instead
        }

        return got;
    }

    /// <summary>recv(2) with MSG_PEEK: copies what is there without taking it; as <see cref="Receive"/>.</summary>
    public static nint Peek(int fd, Span<byte> buffer, out int errno) => Recv(fd, buffer, MsgPeek, out errno);

    /// <summary>readv(2) into two buffers (a frame's header and body) in one call; bytes read, or -1 and <paramref name="errno"/>.</summary>
    public static nint ReadInto(int fd, Span<byte> first, Span<byte> second, out int errno)
    {
        fixed (byte* a = first)
        fixed (byte* b = second)
        {
            var parts = stackalloc IoVec[2];
            Describe(parts, a, first.Length, b, second.Length);
            nint got;
            while ((got = SysReadv(fd, parts, 2)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(got, out errno);
        }
    }

    /// <summary>shutdown(2) both ways: wakes a thread blocked in accept on a listening socket.</summary>
    public static void Shutdown(int fd) => SysShutdown(fd, ShutRdWr);

    /// <summary>Waits up to <paramref name="timeoutMs"/> for the descriptor to be readable; true when it is (or has hung up).</summary>
    public static bool Wait(int fd, int timeoutMs)
    {
        var entry = new PollFd { Fd = fd, Events = PollIn };
        return SysPoll(&entry, 1, timeoutMs) > 0;
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> for any of <paramref name="fds"/> to be readable (or hung up, or in
    /// error); <paramref name="ready"/>[i] then tells whether fds[i] is. Returns how many are (0: the time ran out).
    /// </summary>
    public static int WaitAny(ReadOnlySpan<int> fds, Span<bool> ready, int timeoutMs)
    {
        Span<PollFd> entries = fds.Length <= 128 ? stackalloc PollFd[fds.Length] : new PollFd[fds.Length];
        for (var i = 0; i < fds.Length; i++)
        {
            entries[i] = new PollFd { Fd = fds[i], Events = PollIn };
        }

        int got;
        fixed (PollFd* first = entries)
        {
            got = SysPoll(first, (nuint)entries.Length, timeoutMs);
        }

        for (var i = 0; i < fds.Length; i++)
        {
            ready[i] = got > 0 && entries[i].Revents != 0;
        }

        return Math.Max(got, 0);
    }

    /// <summary>
    /// Waits until the descriptor is readable, in poll(2) slices of a millisecond (its unit), but not past
    /// <paramref name="deadline"/> (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); false when the deadline came first.
    /// </summary>
    public static bool WaitUntil(int fd, long deadline)
    {
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline)
        {
            if (Wait(fd, timeoutMs: 1))
            {
                return true;
            }
        }

        return false;
    }

    public static void Close(int fd) => SysClose(fd);

    /// <summary>A failed call on an established connection, as the socket would report it.</summary>
    public static System.Net.Sockets.SocketException Failure(int errno) =>
        new((int)SocketErrorOf(errno), $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    private static System.Net.Sockets.SocketError SocketErrorOf(int errno) => errno switch
    {
        32 => System.Net.Sockets.SocketError.Shutdown, // EPIPE
        104 => System.Net.Sockets.SocketError.ConnectionReset, // ECONNRESET
        23 or 24 => System.Net.Sockets.SocketError.TooManyOpenSockets, // ENFILE, EMFILE
        12 or 105 => System.Net.Sockets.SocketError.NoBufferSpaceAvailable, // ENOMEM, ENOBUFS
        13 => System.Net.Sockets.SocketError.AccessDenied, // EACCES
        _ => System.Net.Sockets.SocketError.SocketError,
    };

    private static nint Recv(int fd, Span<byte> buffer, int flags, out int errno)
    {
        fixed (byte* b = buffer)
        {
            nint got;
            while ((got = SysRecv(fd, b, buffer.Length, flags)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(got, out errno);
        }
    }

    private static int Check(int result, out int errno)
    {
        errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        return result;
    }

    private static nint Check(nint result, out int errno)
    {
        errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
        return result;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SysSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SysSetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SysFcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int SysConnect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SysSend(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    private static partial nint SysSendMsg(int fd, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint SysRecv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int SysPoll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int SysClose(int fd);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    private static partial int SysAccept4(int fd, byte* address, int* length, int flags);

    [LibraryImport("libc", EntryPoint = "readv", SetLastError = true)]
    private static partial nint SysReadv(int fd, IoVec* parts, int count);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    private static partial int SysShutdown(int fd, int how);

    // A frame's two parts (header, body) as the iovec pair of readv(2) and sendmsg(2).
    private static void Describe(IoVec* parts, byte* first, int firstLength, byte* second, int secondLength)
    {
        parts[0] = new IoVec { Base = first, Length = (nuint)firstLength };
        parts[1] = new IoVec { Base = second, Length = (nuint)secondLength };
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    // struct msghdr of 64-bit Linux (x64 and arm64, the platforms this file serves): no address, no control data.
    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Parts;
        public nuint PartCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    // struct timeval of 64-bit Linux.
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeValue
    {
        public long Seconds;
        public long Microseconds;

        // A zero timeval means no limit at all: at least a microsecond.
        public static TimeValue Of(TimeSpan limit)
        {
            var micros = Math.Max(1L, limit.Ticks / TimeSpan.TicksPerMicrosecond);
            return new TimeValue { Seconds = micros / 1_000_000, Microseconds = micros % 1_000_000 };
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
