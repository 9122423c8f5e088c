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
    private const short PollIn = 0x1;
    private const short PollOut = 0x4;

    /// <summary>True where the raw calls are used.</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The sockaddr_un of <paramref name="path"/> (family, path, NUL), built once per target.</summary>
    public static byte[] AddressOf(string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        var address = new byte[sizeof(ushort) + bytes.Length + 1];
        BitConverter.TryWriteBytes(address, (ushort)AfUnix);
        bytes.CopyTo(address, sizeof(ushort));
        return address;
    }

    /// <summary>A new non-blocking, close-on-exec stream socket; -1 and <paramref name="errno"/> on failure.</summary>
    public static int NewSocket(out int errno) => Check(SysSocket(AfUnix, SockStream | SockNonBlock | SockCloExec, 0), out errno);

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

    /// <summary>recv(2); bytes read (0: the peer closed), or -1 and <paramref name="errno"/> (EAGAIN: nothing yet).</summary>
    public static nint Receive(int fd, Span<byte> buffer, out int errno)
    {
        fixed (byte* b = buffer)
        {
            nint got;
            while ((got = SysRecv(fd, b, buffer.Length, 0)) < 0 && Marshal.GetLastPInvokeError() == EIntr)
            {
            }

            return Check(got, out errno);
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for the descriptor to be readable (or writable); true when it is (or has hung up).</summary>
    public static bool Wait(int fd, bool forWrite, int timeoutMs)
    {
        var entry = new PollFd { Fd = fd, Events = forWrite ? PollOut : PollIn };
        return SysPoll(&entry, 1, timeoutMs) > 0;
    }

    public static void Close(int fd) => SysClose(fd);

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

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int SysConnect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SysSend(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint SysRecv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int SysPoll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int SysClose(int fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
