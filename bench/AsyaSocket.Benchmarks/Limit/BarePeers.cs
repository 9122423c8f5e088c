using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// What .NET itself costs: the C peer's loops (bench/limit/uds_peer.c) written in C# with nothing else, each system call
/// a P/Invoke into libc on one thread: <c>bare-send MESH ACTOR SIZE SECS WARMUP</c> (socket, connect, writev, read,
/// close) and <c>bare-recv MESH ACTOR [fresh]</c> (accept, read the header, read the body into a reused buffer, write
/// the ack, close; a zero-length frame stops it, and it prints the core receiver's memory line,
/// <see cref="ReceiverReport"/>). With <c>fresh</c> every body is read into a new array, as the core receiver's default
/// gives each message its own: what that costs the runtime (the GC, and memory not yet in cache).
/// No timeouts, no budget, no hand-over to a consumer, no safety: the floor under any .NET implementation of the
/// exchange on this machine, measured in the same run as the C peer and the core, so the core's gap to C splits into
/// what the runtime costs (Bare ÷ C) and what the core adds (Core ÷ Bare). It shares no code with the core (its
/// sockaddr and iovec are its own), as the C peer does not, so nothing the core does can leak into the baseline. Like
/// the C peer it trusts its sender: it allocates the length a header announces, up to the C peer's cap.
/// </summary>
internal static unsafe partial class BarePeers
{
    public const string SendVerb = "bare-send";
    public const string ReceiveVerb = "bare-recv";

    private const int AfUnix = 1;
    private const int SockStream = 1;
    private const int EIntr = 4;
    private const uint FrameCap = 100 << 20; // uds_peer.c's FRAME_CAP: a larger frame is dropped unacked

    public static int Send(string meshPath, string actor, int size, double seconds, double warmup)
    {
        var address = Address(Path.Join(meshPath, actor + ".sock"));
        var body = CorePeers.Body(size);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)size);
        fixed (byte* a = address, h = header, b = body)
        {
            var frame = new Frame(a, address.Length, h, b, size);
            // The first exchange waits for the receiver; then at least the warm-up, and until both sides stopped compiling (JitQuiet).
            for (var waited = 0; !TryExchange(frame); waited++)
            {
                if (waited > 10_000)
                {
                    throw new InvalidOperationException("bare-send: no receiver within 10 s.");
                }

                Thread.Sleep(1);
            }

            var warmFrom = Stopwatch.GetTimestamp();
            var jit = new JitQuiet();
            while (jit.KeepWarming(warmFrom, warmup))
            {
                for (var i = 0; i < 64; i++)
                {
                    Exchange(frame);
                }
            }

            var warm = Stopwatch.GetElapsedTime(warmFrom).TotalSeconds;
            var log = new LatencyLog(seconds);
            long before;
            do
            {
                before = Stopwatch.GetTimestamp();
                Exchange(frame);
            }
            while (log.Add(before));

            Console.WriteLine(log.Result("bare", size, warm));
        }

        return 0;
    }

    public static int Receive(string meshPath, string actor, bool fresh)
    {
        var path = Path.Join(meshPath, actor + ".sock");
        File.Delete(path);
        var address = Address(path);
        var listener = Check(SysSocket(AfUnix, SockStream, 0), "socket");
        fixed (byte* a = address)
        {
            Check(SysBind(listener, a, address.Length), "bind");
        }

        Check(SysListen(listener, 512), "listen");
        var header = new byte[4];
        var body = new byte[1 << 20];
        byte ack = 1;
        var report = new ReceiverReport(fresh ? "bare-fresh" : "bare");
        var jit = (JitQuiet?)null;
        try
        {
            while (true)
            {
                var connection = SysAccept(listener, null, null);
                if (connection < 0)
                {
                    // As uds_peer.c: an interrupted accept is retried, any other failure ends the run.
                    _ = Marshal.GetLastPInvokeError() == EIntr ? 0 : Check(connection, "accept");
                    continue;
                }

                var length = -1; // stays so when the frame did not arrive whole
                fixed (byte* h = header)
                {
                    if (ReadExactly(connection, h, 4) && BinaryPrimitives.ReadUInt32BigEndian(header) <= FrameCap)
                    {
                        var announced = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
                        if (fresh ? announced > 0 : announced > body.Length)
                        {
                            body = fresh ? GC.AllocateUninitializedArray<byte>(announced) : new byte[announced];
                        }

                        fixed (byte* b = body)
                        {
                            if (ReadExactly(connection, b, announced))
                            {
                                SysWrite(connection, &ack, 1);
                                length = announced;
                            }
                        }
                    }
                }

                SysClose(connection);
                if (length == 0)
                {
                    Console.WriteLine(report.Line());
                    return 0;
                }

                // Says when it stopped compiling, as the core receiver does (JitQuiet), checked between messages.
                if (report.Count(length))
                {
                    jit = new JitQuiet();
                }
                else if (jit is not null && (report.Messages & 1023) == 0 && jit.AnnounceIfQuiet())
                {
                    jit = null;
                }
            }
        }
        finally
        {
            SysClose(listener);
            File.Delete(path);
        }
    }

    private static void Exchange(Frame frame)
    {
        if (!TryExchange(frame))
        {
            throw new InvalidOperationException($"bare-send: the exchange failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    // One connection: the calls and order of uds_peer.c's exchange().
    private static bool TryExchange(Frame frame)
    {
        var fd = SysSocket(AfUnix, SockStream, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (SysConnect(fd, frame.Address, frame.AddressLength) < 0)
            {
                return false;
            }

            var parts = stackalloc IoVec[2];
            parts[0] = new IoVec(frame.Header, 4u);
            parts[1] = new IoVec(frame.Body, (nuint)frame.Size);
            var left = 4 + frame.Size;
            while (left > 0)
            {
                var written = (int)SysWritev(fd, parts, frame.Size > 0 ? 2 : 1);
                if (written < 0)
                {
                    return false;
                }

                left -= written;
                Advance(parts, written);
            }

            byte ack = 0;
            return ReadExactly(fd, &ack, 1) && ack == 1;
        }
        finally
        {
            SysClose(fd);
        }
    }

    private static void Advance(IoVec* parts, int written)
    {
        for (var i = 0; i < 2 && written > 0; i++)
        {
            var taken = (int)Math.Min(written, (long)parts[i].Length);
            parts[i] = new IoVec(parts[i].Base + taken, parts[i].Length - (nuint)taken);
            written -= taken;
        }
    }

    private static bool ReadExactly(int fd, byte* into, int count)
    {
        for (var got = 0; got < count;)
        {
            var n = (int)SysRead(fd, into + got, (nuint)(count - got));
            if (n > 0)
            {
                got += n;
            }
            else if (n == 0 || Marshal.GetLastPInvokeError() != EIntr)
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Address(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var address = new byte[2 + bytes.Length + 1];
        BitConverter.TryWriteBytes(address, (ushort)AfUnix);
        bytes.CopyTo(address, 2);
        return address;
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new InvalidOperationException($"bare-recv: {call} failed (errno {Marshal.GetLastPInvokeError()}).");

    private readonly struct Frame(byte* address, int addressLength, byte* header, byte* body, int size)
    {
        public readonly byte* Address = address;
        public readonly int AddressLength = addressLength;
        public readonly byte* Header = header;
        public readonly byte* Body = body;
        public readonly int Size = size;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct IoVec(byte* @base, nuint length)
    {
        public readonly byte* Base = @base;
        public readonly nuint Length = length;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SysSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int SysConnect(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int SysBind(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int SysListen(int fd, int backlog);

    [LibraryImport("libc", EntryPoint = "accept", SetLastError = true)]
    private static partial int SysAccept(int fd, byte* address, int* length);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    private static partial nint SysWritev(int fd, IoVec* parts, int count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint SysWrite(int fd, byte* data, nuint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint SysRead(int fd, byte* into, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int SysClose(int fd);
}
