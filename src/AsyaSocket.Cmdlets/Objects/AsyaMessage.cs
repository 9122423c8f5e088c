using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// A message received from the mesh, as PowerShell sees it. Its property names match Send-AsyaMessage's
/// parameters, so a received message pipes straight into a send. The envelope and the payload are decoded
/// on first use: a script that only counts messages never pays for JSON.
/// </summary>
public sealed class AsyaMessage
{
    private readonly AsyaReceivedMessage _message;
    private readonly Lazy<AsyaEnvelope?> _envelope;
    private readonly Lazy<object?> _payload;

    /// <summary>Wraps a message the core received in <paramref name="meshPath"/>.</summary>
    public AsyaMessage(AsyaReceivedMessage message, string meshPath)
    {
        _message = message ?? throw new ArgumentNullException(nameof(message));
        MeshPath = meshPath;
        _envelope = new Lazy<AsyaEnvelope?>(message.TryGetEnvelope);
        _payload = new Lazy<object?>(() => _envelope.Value is { } envelope ? PowerShellJson.FromJsonElement(envelope.Payload) : null);
    }

    /// <summary>The actor name it was received as.</summary>
    public string Actor => _message.Actor;

    /// <summary>The envelope id, when the body is an envelope.</summary>
    public string? Id => Envelope?.Id;

    /// <summary>The transport's id for this delivery (new per received message).</summary>
    public Guid TransportId => _message.TransportId;

    /// <summary>When it arrived (UTC).</summary>
    public DateTimeOffset ReceivedAt => _message.ReceivedAt;

    /// <summary>Body length in bytes.</summary>
    public int Length => _message.Length;

    /// <summary>status.phase (succeeded, failed, ...), when present.</summary>
    public string? Phase => Envelope?.Status?.Phase;

    /// <summary>status.reason (Completed, RuntimeError, ...), when present.</summary>
    public string? Reason => Envelope?.Status?.Reason;

    /// <summary>The route, when the body is an envelope.</summary>
    public AsyaRoute? Route => Envelope?.Route;

    /// <summary>The payload as PowerShell objects (like ConvertFrom-Json gives).</summary>
    public object? Payload => _payload.Value;

    /// <summary>The parsed envelope; null when the body is not one (then see <see cref="Text"/>).</summary>
    public AsyaEnvelope? Envelope => _envelope.Value;

    /// <summary>The body as UTF-8 text.</summary>
    public string Text => _message.GetText();

    /// <summary>The body bytes (a copy).</summary>
    public byte[] Body => _message.ToArray();

    /// <summary>The mesh directory it was received in.</summary>
    public string MeshPath { get; }

    /// <summary>The core message, for code that wants the raw bytes without a copy.</summary>
    public AsyaReceivedMessage TransportMessage => _message;

    /// <inheritdoc />
    public override string ToString() => Envelope?.ToJson() ?? Text;
}
