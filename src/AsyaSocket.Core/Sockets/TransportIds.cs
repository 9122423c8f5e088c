namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Fresh version-4 UUIDs for received messages, like the sidecar's uuid.New(), from a fast generator rather than
/// the system's secure one: they must be unique, not unguessable, and Guid.NewGuid costs a system call per message.
/// </summary>
internal static class TransportIds
{
    public static Guid Next()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's byte order: the version is in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }
}
