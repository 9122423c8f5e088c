using System.Buffers;
using System.Text;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Transport;

/// <summary>
/// One message a receiver received. It owns its body (exactly the frame's bytes); the text
/// and the envelope are decoded on demand, so receiving costs the body and this object.
/// A receiver may lend the body from a pool instead (the socket listener's <c>PooledBodies</c>):
/// then <see cref="Dispose"/> gives it back, and the body must not be used after that.
/// </summary>
public sealed class AsyaReceivedMessage : IDisposable
{
    private readonly int _length;
    private readonly ArrayPool<byte>? _pool;
    private byte[]? _body;
    private AsyaEnvelope? _envelope;
    private AsyaTransportException? _envelopeError;
    private object? _custody;

    /// <summary>Creates a message; <paramref name="body"/> is owned by the message from now on.</summary>
    public AsyaReceivedMessage(string actor, byte[] body, DateTimeOffset receivedAt, Guid transportId)
        : this(actor, body ?? throw new ArgumentNullException(nameof(body)), body.Length, pool: null, receivedAt, transportId)
    {
    }

    /// <summary>A message whose body is the first <paramref name="length"/> bytes of <paramref name="body"/>, rented from <paramref name="pool"/> when one is given.</summary>
    internal AsyaReceivedMessage(string actor, byte[] body, int length, ArrayPool<byte>? pool, DateTimeOffset receivedAt, Guid transportId)
    {
        Actor = actor ?? throw new ArgumentNullException(nameof(actor));
        _body = body;
        _length = length;
        _pool = pool;
        ReceivedAt = receivedAt;
        TransportId = transportId;
    }

    /// <summary>The actor name the message was received as.</summary>
    public string Actor { get; }

    /// <summary>A fresh id per received message, as the sidecar assigns (not the envelope id).</summary>
    public Guid TransportId { get; }

    /// <summary>When the whole body had arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>
    /// What the receiver that still owes the sender an answer keeps for this message (AckPolicy.Explicit), on the
    /// message itself so it lives exactly as long as the message: a weak table beside it cost a GC handle a message
    /// and a table that grew until a full collection. It names its receiver by a token and lets go of the connection
    /// once settled, so a message kept longer keeps neither.
    /// </summary>
    internal object? Custody
    {
        get => Volatile.Read(ref _custody);
        set => Volatile.Write(ref _custody, value);
    }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body => Bytes;

    /// <summary>The body length in bytes.</summary>
    public int Length => _length;

    private ReadOnlyMemory<byte> Bytes =>
        _body is { } body ? body.AsMemory(0, _length) : throw new ObjectDisposedException(nameof(AsyaReceivedMessage), "The message's pooled body was given back (Dispose).");

    /// <summary>A copy of the body.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>The body as UTF-8 text.</summary>
    public string GetText() => Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>Gives a pooled body back; a message with a body of its own keeps it (nothing to do).</summary>
    public void Dispose()
    {
        if (_pool is { } pool && Interlocked.Exchange(ref _body, null) is { } body)
        {
            pool.Return(body);
        }
    }

    /// <summary>The body parsed as an envelope (parsed once); throws <see cref="AsyaErrorKind.InvalidEnvelope"/> when it is not one.</summary>
    public AsyaEnvelope GetEnvelope()
    {
        if (_envelope is null && _envelopeError is null)
        {
            try
            {
                _envelope = AsyaEnvelope.Parse(Bytes.Span);
            }
            catch (AsyaTransportException error)
            {
                _envelopeError = error;
            }
        }

        return _envelope ?? throw _envelopeError!;
    }

    /// <summary>The envelope, or null when the body is not one.</summary>
    public AsyaEnvelope? TryGetEnvelope()
    {
        try
        {
            return GetEnvelope();
        }
        catch (AsyaTransportException)
        {
            return null;
        }
    }
}
