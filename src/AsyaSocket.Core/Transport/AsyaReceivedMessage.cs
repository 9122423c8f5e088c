using System.Text;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Transport;

/// <summary>
/// One message a receiver received. It owns its body (exactly the frame's bytes); the text
/// and the envelope are decoded on demand, so receiving costs the body and this object.
/// </summary>
public sealed class AsyaReceivedMessage
{
    private AsyaEnvelope? _envelope;
    private AsyaTransportException? _envelopeError;

    /// <summary>Creates a message; <paramref name="body"/> is owned by the message from now on.</summary>
    public AsyaReceivedMessage(string actor, byte[] body, DateTimeOffset receivedAt, Guid transportId)
    {
        Actor = actor ?? throw new ArgumentNullException(nameof(actor));
        BodyArray = body ?? throw new ArgumentNullException(nameof(body));
        ReceivedAt = receivedAt;
        TransportId = transportId;
    }

    /// <summary>The actor name the message was received as.</summary>
    public string Actor { get; }

    /// <summary>A fresh id per received message, as the sidecar assigns (not the envelope id).</summary>
    public Guid TransportId { get; }

    /// <summary>When the whole body had arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body => BodyArray;

    /// <summary>The body length in bytes.</summary>
    public int Length => BodyArray.Length;

    internal byte[] BodyArray { get; }

    /// <summary>A copy of the body.</summary>
    public byte[] ToArray() => (byte[])BodyArray.Clone();

    /// <summary>The body as UTF-8 text.</summary>
    public string GetText() => Encoding.UTF8.GetString(BodyArray);

    /// <summary>The body parsed as an envelope (parsed once); throws <see cref="AsyaErrorKind.InvalidEnvelope"/> when it is not one.</summary>
    public AsyaEnvelope GetEnvelope()
    {
        if (_envelope is null && _envelopeError is null)
        {
            try
            {
                _envelope = AsyaEnvelope.Parse(BodyArray);
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
