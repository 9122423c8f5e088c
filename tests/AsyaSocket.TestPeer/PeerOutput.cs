using System.Security.Cryptography;
using System.Text;

namespace AsyaSocket.TestPeer;

/// <summary>Line output the tests parse, the bodies the peer sends, and the self-imposed deadline.</summary>
internal static class PeerOutput
{
    private static Timer? s_deadline;

    public static void Line(string text)
    {
        Console.Out.WriteLine(text);
        Console.Out.Flush();
    }

    public static int Usage(string problem)
    {
        Console.Error.WriteLine($"usage error: {problem} (see the comment at the top of Program.cs)");
        return 64;
    }

    public static void StartDeadline(int milliseconds)
    {
        s_deadline = new Timer(
            _ =>
            {
                Console.Error.WriteLine($"PEER-DEADLINE after {milliseconds} ms");
                Environment.Exit(124);
            },
            null,
            milliseconds,
            Timeout.Infinite);
    }

    public static string Sha256(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>A body of <paramref name="size"/> bytes: "&lt;tag&gt;-&lt;index&gt;|" then bytes that depend on both (truncated when short).</summary>
    public static byte[] Body(string tag, int index, int size)
    {
        var body = new byte[size];
        var prefix = Encoding.ASCII.GetBytes($"{tag}-{index}|");
        prefix.AsSpan(0, Math.Min(prefix.Length, size)).CopyTo(body);
        if (size > prefix.Length)
        {
            new Random(HashCode.Combine(tag.Length, index, size)).NextBytes(body.AsSpan(prefix.Length));
        }

        return body;
    }

    /// <summary>The "&lt;tag&gt;-&lt;index&gt;" a body starts with, or "-" when it does not start with printable text and '|'.</summary>
    public static string Tag(ReadOnlySpan<byte> body)
    {
        var end = body[..Math.Min(body.Length, 64)].IndexOf((byte)'|');
        if (end <= 0)
        {
            return "-";
        }

        foreach (var b in body[..end])
        {
            if (b is < 0x21 or > 0x7e)
            {
                return "-";
            }
        }

        return Encoding.ASCII.GetString(body[..end]);
    }

    public static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
