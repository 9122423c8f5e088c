using System.Buffers.Binary;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Reliability.Fuzz;

/// <summary>What a hostile or clumsy peer does after writing its bytes.</summary>
public enum FuzzEnding
{
    /// <summary>Half-closes (shutdown of its sending side) and reads the reply: the usual end of a sender.</summary>
    Close,
    /// <summary>Keeps the connection open and silent, reading the reply: only the listener's read timeout ends it.</summary>
    HoldOpen,
    /// <summary>Closes the socket at once without reading anything (a crash right after writing).</summary>
    Abort,
}

/// <summary>
/// One fuzz case: the bytes a peer writes on one connection, how they are split into writes, and how the peer ends.
/// <see cref="Kind"/> names the generator strategy, for the statistics only.
/// </summary>
public sealed record FuzzCase(string Kind, byte[] Bytes, int[] Splits, FuzzEnding Ending)
{
    /// <summary>The writes, in order: <see cref="Bytes"/> cut at <see cref="Splits"/>.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        var start = 0;
        foreach (var split in Splits)
        {
            if (split > start && split < Bytes.Length)
            {
                yield return Bytes.AsMemory(start, split - start);
                start = split;
            }
        }

        if (start < Bytes.Length)
        {
            yield return Bytes.AsMemory(start);
        }
    }

    /// <summary>A short description for failure reports (the bytes in hex when short).</summary>
    public override string ToString()
    {
        var shown = Bytes.Length <= 48 ? Convert.ToHexString(Bytes) : Convert.ToHexString(Bytes.AsSpan(0, 32)) + $"...({Bytes.Length} bytes)";
        return $"{Kind} {Ending} splits=[{string.Join(',', Splits)}] bytes={shown}";
    }
}

/// <summary>What the protocol says must happen to a case: a message with exactly this body, or a rejection for one reason. Never an ack without a message.</summary>
public readonly record struct FuzzExpectation(RejectReason? Reject, int BodyOffset, int BodyLength)
{
    public bool IsMessage => Reject is null;

    public ReadOnlyMemory<byte> Body(FuzzCase fuzzCase) => fuzzCase.Bytes.AsMemory(BodyOffset, BodyLength);

    public override string ToString() => IsMessage ? $"message of {BodyLength} bytes" : $"rejected ({Reject})";

    /// <summary>
    /// The oracle, written from the wire protocol (not from the listener's code): 4 bytes of big-endian length N,
    /// then N bytes; N over the cap is refused at once; anything short is refused when the peer closes, or at the
    /// read timeout when it stays silent; bytes after the frame are ignored.
    /// </summary>
    public static FuzzExpectation For(FuzzCase fuzzCase, int maxBodyLength)
    {
        var bytes = fuzzCase.Bytes;
        var waitsForTimeout = fuzzCase.Ending == FuzzEnding.HoldOpen;
        if (bytes.Length < FrameHeader.Size)
        {
            return Rejected(waitsForTimeout ? RejectReason.ReadTimeout : bytes.Length == 0 ? RejectReason.EmptyConnection : RejectReason.TruncatedHeader);
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        if (length > (uint)maxBodyLength)
        {
            return Rejected(RejectReason.FrameTooLarge);
        }

        if (bytes.Length - FrameHeader.Size < length)
        {
            return Rejected(waitsForTimeout ? RejectReason.ReadTimeout : RejectReason.TruncatedBody);
        }

        return new FuzzExpectation(null, FrameHeader.Size, (int)length);
    }

    private static FuzzExpectation Rejected(RejectReason reason) => new(reason, 0, 0);
}

/// <summary>
/// Generates fuzz cases from a seed: a mix of pure random bytes (mostly huge lengths), valid frames, frames with
/// trailing garbage, truncated headers and bodies, lengths at and around the cap, and lengths far over it; cut into
/// random writes (sometimes one byte at a time), ending in a close, an abort, or (rarely) silence.
/// Case <c>i</c> of seed <c>s</c> is always the same case, so any failure can be replayed alone.
/// </summary>
public sealed class FuzzCaseGenerator
{
    private readonly int _maxBodyLength;
    private readonly double _holdOpenRate;
    private readonly double _abortRate;

    /// <param name="maxBodyLength">The listener's cap; lengths are drawn around it.</param>
    /// <param name="holdOpenRate">Fraction of cases that stay silent until the read timeout (they cost a timeout each).</param>
    /// <param name="abortRate">Fraction of cases that close without reading the reply.</param>
    public FuzzCaseGenerator(int maxBodyLength, double holdOpenRate = 0.005, double abortRate = 0.05)
    {
        _maxBodyLength = maxBodyLength;
        _holdOpenRate = holdOpenRate;
        _abortRate = abortRate;
    }

    public int MaxBodyLength => _maxBodyLength;

    /// <summary>Case <paramref name="index"/> of <paramref name="seed"/>.</summary>
    public FuzzCase Generate(int seed, long index)
    {
        var random = new Random(unchecked(seed * 1_000_003 + (int)index * 7919 + (int)(index >> 32)));
        return Generate(random);
    }

    /// <summary>A case drawn from <paramref name="random"/>.</summary>
    public FuzzCase Generate(Random random)
    {
        var (kind, bytes) = random.Next(100) switch
        {
            < 20 => ("random", RandomBytes(random, random.Next(0, 17))),
            < 25 => ("random-long", RandomBytes(random, random.Next(17, 600))),
            < 45 => ("frame", Frame(random, SmallLength(random), complete: 0)),
            < 55 => ("frame+trailing", Frame(random, SmallLength(random), complete: random.Next(1, 512))),
            < 67 => ("short-body", Frame(random, SmallLength(random) + 1, complete: -1)),
            < 72 => ("short-header", RandomBytes(random, random.Next(1, FrameHeader.Size))),
            < 74 => ("empty", []),
            < 82 => NearCap(random),
            < 92 => ("over-cap", OverCap(random)),
            _ => ("zero-length", Frame(random, 0, complete: random.Next(2) == 0 ? 0 : random.Next(1, 64))),
        };

        var draw = random.NextDouble();
        var ending = draw < _holdOpenRate ? FuzzEnding.HoldOpen : draw < _holdOpenRate + _abortRate ? FuzzEnding.Abort : FuzzEnding.Close;
        return new FuzzCase(kind, bytes, Splits(random, bytes.Length), ending);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // Mostly tiny bodies, sometimes up to a few KiB: short cases keep a million of them fast.
    private static int SmallLength(Random random) => random.Next(10) switch
    {
        < 5 => random.Next(0, 32),
        < 9 => random.Next(32, 1024),
        _ => random.Next(1024, 8192),
    };

    /// <summary>A header for <paramref name="length"/>; then the whole body (+<paramref name="complete"/> trailing bytes when positive) or, when negative, fewer bytes than announced.</summary>
    private static byte[] Frame(Random random, int length, int complete)
    {
        var written = complete >= 0 ? length + complete : random.Next(0, length);
        var bytes = new byte[FrameHeader.Size + written];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)length);
        random.NextBytes(bytes.AsSpan(FrameHeader.Size));
        return bytes;
    }

    private (string, byte[]) NearCap(Random random)
    {
        var length = (long)_maxBodyLength + random.Next(-2, 3);
        if (length < 0)
        {
            length = 0;
        }

        var header = new byte[FrameHeader.Size];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
        if (length > _maxBodyLength)
        {
            // Over the cap by one or two: refused from the header alone, whatever follows.
            return ("cap+1", [.. header, .. RandomBytes(random, random.Next(0, 64))]);
        }

        var body = RandomBytes(random, random.Next(4) == 0 ? random.Next(0, (int)length + 1) : (int)length);
        return (body.Length == length ? "at-cap" : "at-cap-short", [.. header, .. body]);
    }

    private byte[] OverCap(Random random)
    {
        uint length = random.Next(6) switch
        {
            0 => uint.MaxValue,
            1 => 0x80000000u,
            2 => (uint)FrameHeader.DefaultMaxBodyLength + 1,
            3 => (uint)_maxBodyLength + 1 + (uint)random.Next(0, 1 << 20),
            _ => (uint)random.NextInt64((long)_maxBodyLength + 1, uint.MaxValue + 1L),
        };

        var trailing = RandomBytes(random, random.Next(0, 256));
        var bytes = new byte[FrameHeader.Size + trailing.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, length);
        trailing.CopyTo(bytes, FrameHeader.Size);
        return bytes;
    }

    private static int[] Splits(Random random, int length)
    {
        if (length <= 1)
        {
            return [];
        }

        if (length <= 16 && random.Next(8) == 0)
        {
            // One byte per write: every read on the other side is short.
            return Enumerable.Range(1, length - 1).ToArray();
        }

        var count = random.Next(0, 4);
        var splits = new int[count];
        for (var i = 0; i < count; i++)
        {
            // Around the header boundary most of the time: where a reader that assumes whole reads breaks.
            splits[i] = random.Next(3) == 0 ? random.Next(1, Math.Min(length, FrameHeader.Size + 1)) : random.Next(1, length);
        }

        Array.Sort(splits);
        return splits.Distinct().ToArray();
    }
}
