using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AsyaSocket.Reliability.Load;

/// <summary>
/// The bodies of the load run. Each says who sent it, its place in that sender's sequence and its length, and carries
/// a SHA-256 prefix of the rest, so the consumer checks identity, order and integrity without any shared state:
/// <c>[sender u16][index u32][length u32][sha256(filler)[0..16]][filler]</c>, big-endian, at least 26 bytes.
/// </summary>
public static class LoadBody
{
    public const int HeaderSize = 26;

    /// <summary>Log-uniform between <paramref name="min"/> and <paramref name="max"/>: as many 64 B–1 KiB bodies as 64 KiB–1 MiB ones.</summary>
    public static int Size(int seed, int sender, int index, int min, int max)
    {
        var random = new Random(unchecked((seed * 31) + (sender * 1_000_003) + (index * 7919) + 17));
        var size = Math.Exp(Math.Log(min) + (random.NextDouble() * (Math.Log(max) - Math.Log(min))));
        return Math.Clamp((int)Math.Round(size), min, max);
    }

    public static byte[] Create(int seed, int sender, int index, int size)
    {
        if (size < HeaderSize)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A load body has at least {HeaderSize} bytes.");
        }

        var body = new byte[size];
        new Random(unchecked((seed * 7919) + (sender * 104729) + index)).NextBytes(body.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)sender);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(2), index);
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(6), size);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body.AsSpan(HeaderSize), hash);
        hash[..16].CopyTo(body.AsSpan(10));
        return body;
    }

    /// <summary>Reads the sender and index of a body and checks its length and hash; false when anything is off.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out int sender, out int index)
    {
        sender = -1;
        index = -1;
        if (body.Length < HeaderSize || BinaryPrimitives.ReadInt32BigEndian(body[6..]) != body.Length)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body[HeaderSize..], hash);
        if (!hash[..16].SequenceEqual(body.Slice(10, 16)))
        {
            return false;
        }

        sender = BinaryPrimitives.ReadUInt16BigEndian(body);
        index = BinaryPrimitives.ReadInt32BigEndian(body[2..]);
        return true;
    }
}
