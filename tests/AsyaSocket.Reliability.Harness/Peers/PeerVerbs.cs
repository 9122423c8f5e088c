using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Reliability.Peers;

/// <summary>
/// The peer processes the reliability tests need. Each prints one line per event on stdout, which the tests read.
/// </summary>
public static class PeerVerbs
{
    /// <summary>
    /// midframe &lt;mesh&gt; &lt;actor&gt; &lt;declared&gt; &lt;written&gt;: connects with a raw socket, writes a header announcing
    /// &lt;declared&gt; bytes and only &lt;written&gt; of them, prints "MIDFRAME", then waits to be killed (SIGKILL in the tests).
    /// </summary>
    public static async Task<int> MidFrameAsync(string meshPath, string actor, int declared, int written)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Join(meshPath, actor + ".sock")));
        var bytes = new byte[FrameHeader.Size + written];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)declared);
        Random.Shared.NextBytes(bytes.AsSpan(FrameHeader.Size));
        ReadOnlyMemory<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            rest = rest[await socket.SendAsync(rest, SocketFlags.None)..];
        }

        Line($"MIDFRAME {written} of {declared}");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    /// <summary>
    /// send &lt;mesh&gt; &lt;actor&gt; &lt;size&gt; [--dial-attempts N] [--dial-interval-ms N] [--ack-timeout-ms N]: one message with the
    /// core's SocketSender. Prints "SENT &lt;attempts&gt; &lt;ms&gt;" or "ERROR &lt;kind&gt; &lt;attempts&gt; &lt;ms&gt; &lt;message&gt;" (exit 2).
    /// </summary>
    public static async Task<int> SendAsync(string meshPath, string actor, int size, int dialAttempts, int dialIntervalMs, int ackTimeoutMs)
    {
        var sender = new SocketSender(new MeshDirectory(meshPath), new SendOptions
        {
            ConnectAttempts = dialAttempts,
            ConnectRetryInterval = TimeSpan.FromMilliseconds(dialIntervalMs),
            AckTimeout = TimeSpan.FromMilliseconds(ackTimeoutMs),
        });
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await sender.SendAsync(actor, new byte[size]);
            Line(string.Create(CultureInfo.InvariantCulture, $"SENT {result.Attempts} {clock.ElapsedMilliseconds}"));
            return 0;
        }
        catch (AsyaTransportException error)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"ERROR {error.Kind} {error.Attempts} {clock.ElapsedMilliseconds} {error.Message.ReplaceLineEndings(" ")}"));
            return 2;
        }
    }

    /// <summary>
    /// listen &lt;mesh&gt; &lt;actor&gt; [--mode OCTAL] [--force] [--memory]: listens with the core's SocketListener (default
    /// options otherwise); prints "READY &lt;path&gt;", then "RECV &lt;length&gt;" per message, until killed or the deadline.
    /// With --memory, a zero-length message prints "MEMORY &lt;current RSS&gt; &lt;peak RSS&gt;" (bytes) instead, so a test can
    /// read this process's memory before and after what it sends. A failure to listen prints "ERROR &lt;kind&gt; &lt;message&gt;" (exit 2).
    /// </summary>
    public static async Task<int> ListenAsync(string meshPath, string actor, string? mode, bool force, bool memory = false)
    {
        SocketListener listener;
        try
        {
            listener = SocketListener.Start(new MeshDirectory(meshPath), actor, new SocketListenerOptions
            {
                Force = force,
                SocketMode = mode is null ? null : (UnixFileMode)Convert.ToInt32(mode, 8),
            });
        }
        catch (AsyaTransportException error)
        {
            Line($"ERROR {error.Kind} {error.Message.ReplaceLineEndings(" ")}");
            return 2;
        }

        await using (listener)
        {
            Line($"READY {listener.Address}");
            await foreach (var message in listener.ReadAllAsync())
            {
                Line(memory && message.Length == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"MEMORY {ProcessMemory.CurrentRss} {ProcessMemory.PeakRss}")
                    : string.Create(CultureInfo.InvariantCulture, $"RECV {message.Length}"));
            }
        }

        return 0;
    }

    public static void Line(string text)
    {
        Console.Out.WriteLine(text);
        Console.Out.Flush();
    }
}
