using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Reads one frame's bytes from an accepted connection: inline first (non-blocking calls, a short poll), then
/// asynchronously under the read timeout, which counts from the accept. The timer and its token source exist only
/// once a read has to wait, so a frame that is already there costs neither.
/// Bodies take memory as their bytes arrive, never because a header announced them: up to
/// <see cref="DirectLimit"/> a body is read straight into its own array; a larger one grows in pooled chunks and is
/// copied into its array once complete. Every byte of either counts against the listener's in-flight budget first.
/// </summary>
internal sealed class ConnectionReader : IDisposable
{
    /// <summary>Bodies up to this size get their final array at once (it is what a well-behaved sender sends next).</summary>
    public const int DirectLimit = 1024 * 1024;

    /// <summary>The step in which a larger body's memory grows.</summary>
    public const int ChunkSize = 256 * 1024;

    private readonly Socket _socket;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationToken _stopping;
    private readonly long _accepted = Stopwatch.GetTimestamp();
    private long _inlineDeadline;
    private CancellationTokenSource? _timeout;

    public ConnectionReader(Socket socket, TimeSpan readTimeout, TimeSpan inlineWait, CancellationToken stopping)
    {
        _socket = socket;
        _readTimeout = readTimeout;
        _stopping = stopping;
        _inlineDeadline = InlineIo.Deadline(inlineWait);
    }

    /// <summary>Cancelled at the read timeout (from the accept) or when the listener stops.</summary>
    public CancellationToken Token
    {
        get
        {
            if (_timeout is null)
            {
                _timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
                if (_readTimeout != Timeout.InfiniteTimeSpan)
                {
                    var left = _readTimeout - Stopwatch.GetElapsedTime(_accepted);
                    _timeout.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1));
                }
            }

            return _timeout.Token;
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; fewer bytes only when the peer closed first.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer)
    {
        var got = 0;
        if (_inlineDeadline != 0)
        {
            got = InlineIo.Receive(_socket, buffer.Span, _inlineDeadline, out var ended);
            if (ended || got == buffer.Length)
            {
                return got;
            }

            _inlineDeadline = 0; // once it had to wait past the deadline, this peer is served asynchronously
        }

        return got + await SocketIo.ReceiveExactlyAsync(_socket, buffer[got..], Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The body of <paramref name="length"/> bytes (in an array of its own, or borrowed from <paramref name="pool"/>
    /// when one is given, then possibly longer), or null when the peer closed before sending it all.
    /// </summary>
    public async ValueTask<byte[]?> ReadBodyAsync(int length, ByteBudget inFlight, ArrayPool<byte>? pool)
    {
        if (length == 0)
        {
            return [];
        }

        using var share = inFlight.NewHolder();
        if (length <= DirectLimit)
        {
            await share.ReserveAsync(length, Token).ConfigureAwait(false);
            var body = pool is null ? GC.AllocateUninitializedArray<byte>(length) : pool.Rent(length);
            if (await ReadAsync(body.AsMemory(0, length)).ConfigureAwait(false) == length)
            {
                return body;
            }

            pool?.Return(body);

            return null;
        }

        var chunks = new List<byte[]>();
        try
        {
            for (var received = 0; received < length;)
            {
                var size = Math.Min(ChunkSize, length - received);
                await share.ReserveAsync(ChunkSize, Token).ConfigureAwait(false);
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                chunks.Add(chunk);
                var got = await ReadAsync(chunk.AsMemory(0, size)).ConfigureAwait(false);
                if (got < size)
                {
                    return null;
                }

                received += got;
            }

            var whole = GC.AllocateUninitializedArray<byte>(length);
            for (var i = 0; i < chunks.Count; i++)
            {
                var offset = i * ChunkSize;
                chunks[i].AsSpan(0, Math.Min(ChunkSize, length - offset)).CopyTo(whole.AsSpan(offset));
            }

            return whole;
        }
        finally
        {
            foreach (var chunk in chunks)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    /// <summary>Writes the ack: inline when the socket takes it at once (it nearly always does), else asynchronously within the read timeout.</summary>
    public static async ValueTask SendAckAsync(Socket socket, ReadOnlyMemory<byte> ack, TimeSpan timeout)
    {
        if (InlineIo.Send(socket, ack.Span, deadline: 0) == ack.Length)
        {
            return;
        }

        using var ackTimeout = new CancellationTokenSource(timeout);
        await SocketIo.SendAllAsync(socket, ack, ackTimeout.Token).ConfigureAwait(false);
    }

    public void Dispose() => _timeout?.Dispose();
}
