using System.Buffers.Binary;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>The Asya frame header: a 4-byte big-endian body length. One frame per connection, acked with 0x01.</summary>
public static class FrameHeader
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 4;

    /// <summary>The byte a receiver writes once it holds the whole body.</summary>
    public const byte Ack = 0x01;

    /// <summary>The sidecar's frame cap: 100 MiB. Exactly this many bytes is accepted; one more is rejected.</summary>
    public const int DefaultMaxBodyLength = SendOptions.DefaultMaxBodyLength;

    /// <summary>Writes the header for a body of <paramref name="bodyLength"/> bytes.</summary>
    public static void Write(Span<byte> destination, int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)bodyLength);
    }

    /// <summary>Reads the body length from a header (it may exceed <see cref="int.MaxValue"/>).</summary>
    public static uint Read(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);

    /// <summary>The error for a frame over the cap, raised before anything is allocated.</summary>
    public static AsyaTransportException TooLarge(long length, int maxLength, string? socketPath) => SocketErrors.Create(
        AsyaErrorKind.MessageTooLarge,
        $"Frame of {length} bytes exceeds the {maxLength}-byte cap.",
        "Send a smaller body; the Asya sidecar rejects frames over 100 MiB.",
        socketPath);
}
