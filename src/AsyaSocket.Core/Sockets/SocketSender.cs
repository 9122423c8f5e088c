using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets.Native;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Sockets;

/// <summary>
/// The sending half of the Asya socket protocol: connect to <c>&lt;mesh&gt;/&lt;actor&gt;.sock</c> (retrying
/// connect failures like the sidecar), write the 4-byte big-endian length and the body, read the 0x01 ack, close.
/// Unlike the sidecar, the wait for the ack is bounded.
/// </summary>
public sealed class SocketSender : IAsyaSender
{
    // On a raw descriptor header and body go out together, as two pieces of one sendmsg(2). A Socket writes them one
    // after the other, so there bodies up to 64 KiB are copied behind the header into one write (larger ones go as
    // header then body, like the sidecar): a separate 4-byte header write lets the receiver wake on the header alone
    // and again for the body, which at 64 KiB cost up to ~20% of the round trip, the copy ~5% (bench/README.md).
    private const int CoalesceLimit = 64 * 1024;

    // Long enough for a receiver on a busy machine to take the frame and answer (bench/README.md), short enough
    // that a caller's thread is never held noticeably.
    private static readonly TimeSpan DefaultInlineWait = TimeSpan.FromMilliseconds(2);

    private readonly MeshDirectory _mesh;
    private readonly SendOptions _options;
    private readonly TimeSpan _inlineWait = DefaultInlineWait;
    private Target? _lastTarget;

    /// <summary>Creates a sender for the given mesh.</summary>
    public SocketSender(MeshDirectory mesh, SendOptions? options = null)
    {
        _mesh = mesh ?? throw new ArgumentNullException(nameof(mesh));
        _options = options ?? new SendOptions();
        _options.Validate();
    }

    /// <summary>The mesh this sender addresses.</summary>
    public MeshDirectory Mesh => _mesh;

    /// <summary>The options in force.</summary>
    public SendOptions Options => _options;

    /// <summary>
    /// How long one send may wait on the calling thread (in poll(2), not spinning) for the socket before it goes on
    /// asynchronously. A receiver that acks within it costs no thread hop, timer or token source; a slower one is
    /// awaited asynchronously under <see cref="SendOptions.AckTimeout"/> as before. <see cref="TimeSpan.Zero"/>:
    /// always asynchronous.
    /// </summary>
    public TimeSpan InlineWait
    {
        get => _inlineWait;
        init => _inlineWait = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InlineWait), value, "The inline wait cannot be negative.");
    }

    /// <summary>The socket transport does not delay messages; like the sidecar, this always fails.</summary>
    public ValueTask<AsyaSendResult> SendWithDelayAsync(string actor, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken = default) =>
        ValueTask.FromException<AsyaSendResult>(SocketErrors.Create(
            AsyaErrorKind.DelayedDeliveryNotSupported,
            "transport does not support delayed delivery",
            "Send without a delay; delayed delivery needs a broker transport such as SQS."));

    /// <summary>Nothing to release: every send opens and closes its own connection.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public async ValueTask<AsyaSendResult> SendAsync(string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var target = TargetFor(actor);
        var socketPath = target.Path;
        if (body.Length > _options.MaxBodyLength)
        {
            throw FrameHeader.TooLarge(body.Length, _options.MaxBodyLength, socketPath);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var raw = _inlineWait > TimeSpan.Zero && UnixSocketCalls.Supported;
        var coalesce = !raw && body.Length <= CoalesceLimit;
        var buffer = ArrayPool<byte>.Shared.Rent(coalesce ? FrameHeader.Size + body.Length : FrameHeader.Size);
        try
        {
            // The frame's two parts: header and body in one piece when coalesced, else header, then body.
            FrameHeader.Write(buffer, body.Length);
            ReadOnlyMemory<byte> first = buffer.AsMemory(0, FrameHeader.Size);
            var second = body;
            if (coalesce)
            {
                body.Span.CopyTo(buffer.AsSpan(FrameHeader.Size));
                first = buffer.AsMemory(0, FrameHeader.Size + body.Length);
                second = ReadOnlyMemory<byte>.Empty;
            }

            var attempts = 1;
            Socket? socket = null;
            if (raw)
            {
                // The usual exchange, whole, on a raw descriptor; only a slow receiver leaves a socket to go on with.
                InlineSend.Outcome outcome;
                try
                {
                    outcome = InlineSend.Run(target.Address, ref first, ref second, buffer, _inlineWait, out socket);
                }
                catch (SocketException error)
                {
                    throw ExchangeFailed(error, socketPath, attempts, started);
                }

                if (outcome is InlineSend.Outcome.Answered or InlineSend.Outcome.ClosedWithoutAck)
                {
                    CheckAck(outcome == InlineSend.Outcome.Answered ? 1 : 0, buffer[0], socketPath, attempts, started);
                    return new AsyaSendResult(actor, socketPath, body.Length, attempts, Stopwatch.GetElapsedTime(started));
                }
            }
            else if (_inlineWait > TimeSpan.Zero)
            {
                socket = TryConnectInline(target.EndPoint);
            }

            if (socket is null)
            {
                (socket, attempts) = await ConnectAsync(target, started, cancellationToken).ConfigureAwait(false);
            }

            using (socket)
            {
                await ExchangeAsync(socket, socketPath, first, second, buffer, attempts, started, cancellationToken).ConfigureAwait(false);
            }

            return new AsyaSendResult(actor, socketPath, body.Length, attempts, Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Senders mostly talk to one actor again and again: keep its checked path and endpoint instead of building them per send.
    private Target TargetFor(string actor)
    {
        var last = _lastTarget;
        if (last is not null && string.Equals(last.Actor, actor, StringComparison.Ordinal))
        {
            return last;
        }

        var path = _mesh.SocketPathFor(actor);
        return _lastTarget = new Target(actor, path, new UnixDomainSocketEndPoint(path), UnixSocketCalls.Supported ? UnixSocketCalls.AddressOf(path) : []);
    }

    // A Unix socket connect completes at once or fails at once (EAGAIN when the backlog is full); any failure goes
    // to the dial loop, which retries, times out and describes errors exactly as before.
    private static Socket? TryConnectInline(UnixDomainSocketEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            socket.Connect(endPoint);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    private async ValueTask<(Socket Socket, int Attempts)> ConnectAsync(Target target, long started, CancellationToken cancellationToken)
    {
        var (socketPath, endPoint) = (target.Path, target.EndPoint);
        SocketException? lastError = null;
        for (var attempt = 1; attempt <= _options.ConnectAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Non-blocking for the inline calls of the exchange; the async connect does not mind.
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
            try
            {
                using var dialTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                dialTimeout.CancelAfter(_options.ConnectTimeout);
                await socket.ConnectAsync(endPoint, dialTimeout.Token).ConfigureAwait(false);
                return (socket, attempt);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                lastError = new SocketException((int)SocketError.TimedOut);
            }
            catch (SocketException error)
            {
                socket.Dispose();

                // Checked only when a connect fails, so a healthy send pays nothing for it; no retry brings a mesh back.
                _mesh.EnsureExists();
                if (ConnectErrors.IsPermanent(error))
                {
                    throw ConnectErrors.Describe(error, socketPath, attempt, Stopwatch.GetElapsedTime(started));
                }

                lastError = error;
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (attempt < _options.ConnectAttempts)
            {
                ReportRetry(socketPath, attempt, started, lastError!);
                await Task.Delay(_options.ConnectRetryInterval, cancellationToken).ConfigureAwait(false);
            }
        }

        throw ConnectErrors.Describe(lastError!, socketPath, _options.ConnectAttempts, Stopwatch.GetElapsedTime(started));
    }

    private void ReportRetry(string socketPath, int attempt, long started, SocketException error)
    {
        if (_options.ConnectRetrying is not { } report)
        {
            return;
        }

        try
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var reason = ConnectErrors.Describe(error, socketPath, attempt, elapsed).ErrorId;
            report(new AsyaConnectRetry(Path.GetFileNameWithoutExtension(socketPath), socketPath, attempt, _options.ConnectAttempts, elapsed, _options.ConnectRetryInterval, reason));
        }
        catch (Exception)
        {
            // An observer's failure must not change the send.
        }
    }

    // What is left of the exchange on a socket: inline while the receiver answers within the inline wait, then
    // asynchronously under the ack timeout.
    private async ValueTask ExchangeAsync(Socket socket, string socketPath, ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, byte[] buffer, int attempts, long started, CancellationToken cancellationToken)
    {
        CancellationTokenSource? ackTimeout = null;
        try
        {
            var deadline = InlineIo.Deadline(_inlineWait);
            var read = 0;
            var ended = false;
            if (deadline != 0)
            {
                first = first[InlineIo.Send(socket, first.Span, deadline)..];
                if (first.IsEmpty)
                {
                    second = second[InlineIo.Send(socket, second.Span, deadline)..];
                    if (second.IsEmpty)
                    {
                        read = InlineIo.Receive(socket, buffer.AsSpan(0, 1), deadline, out ended);
                    }
                }
            }

            if (read == 0 && !ended)
            {
                // The receiver is slow: go on asynchronously, bounded by the ack timeout.
                ackTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                ackTimeout.CancelAfter(_options.AckTimeout);
                var token = ackTimeout.Token;
                await SocketIo.SendAllAsync(socket, first, token).ConfigureAwait(false);
                await SocketIo.SendAllAsync(socket, second, token).ConfigureAwait(false);
                read = await SocketIo.ReceiveExactlyAsync(socket, buffer.AsMemory(0, 1), token).ConfigureAwait(false);
            }

            CheckAck(read, buffer[0], socketPath, attempts, started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.AckTimeout,
                $"No ack from '{socketPath}' within {_options.AckTimeout.TotalSeconds:0.###} s.",
                "The receiver is busy or stuck (a route that loops back to a busy actor deadlocks); raise the timeout or check the receiver.",
                socketPath, attempts, Stopwatch.GetElapsedTime(started));
        }
        catch (SocketException error)
        {
            throw ExchangeFailed(error, socketPath, attempts, started);
        }
        finally
        {
            ackTimeout?.Dispose();
        }
    }

    // read: bytes of ack read (0: the receiver closed first); ack: the byte.
    private static void CheckAck(int read, byte ack, string socketPath, int attempts, long started)
    {
        if (read == 0)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.NotAcknowledged,
                $"read ack: EOF: the receiver at '{socketPath}' closed the connection without acknowledging the message.",
                "The receiver rejected the frame (too large, or it is shutting down); check its logs. The message was not delivered.",
                socketPath, attempts, Stopwatch.GetElapsedTime(started));
        }

        if (ack != FrameHeader.Ack)
        {
            throw SocketErrors.Create(
                AsyaErrorKind.ProtocolViolation,
                $"unexpected ack byte {ack} from '{socketPath}' (expected 1).",
                "The peer does not speak the Asya socket protocol; check what is listening on this socket.",
                socketPath, attempts, Stopwatch.GetElapsedTime(started));
        }
    }

    private static AsyaTransportException ExchangeFailed(SocketException error, string socketPath, int attempts, long started) => SocketErrors.Create(
        error.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown ? AsyaErrorKind.NotAcknowledged : AsyaErrorKind.SendFailed,
        $"The connection to '{socketPath}' failed before the ack: {error.Message}.",
        "The receiver closed the connection; the message was not delivered. Check the receiver, then send again.",
        socketPath, attempts, Stopwatch.GetElapsedTime(started), error);

    private sealed record Target(string Actor, string Path, UnixDomainSocketEndPoint EndPoint, byte[] Address);
}
