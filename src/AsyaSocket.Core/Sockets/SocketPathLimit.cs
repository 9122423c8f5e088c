using System.Runtime.InteropServices;
using System.Text;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// The kernel's <c>sun_path</c> limit. A longer path fails at bind or connect with an obscure error,
/// so it is checked up front and reported with the path and its length.
/// </summary>
public static class SocketPathLimit
{
    /// <summary>Path bytes a socket path may have on this platform (107 on Linux, 103 on macOS).</summary>
    public static int MaxBytes { get; } = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 103 : 107;

    /// <summary>The UTF-8 byte length of <paramref name="socketPath"/>.</summary>
    public static int ByteLength(string socketPath) => Encoding.UTF8.GetByteCount(socketPath);

    /// <summary>True when the path fits.</summary>
    public static bool Fits(string socketPath) => ByteLength(socketPath) <= MaxBytes;

    /// <summary>Throws <see cref="AsyaErrorKind.AddressTooLong"/> when the path does not fit.</summary>
    public static void EnsureFits(string socketPath)
    {
        var length = ByteLength(socketPath);
        if (length > MaxBytes)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.AddressTooLong,
                $"Socket path '{socketPath}' is {length} bytes; Unix sockets allow at most {MaxBytes}.",
                "Use a shorter mesh directory (or actor name), for example a directory directly under /tmp.",
                socketPath);
        }
    }
}
