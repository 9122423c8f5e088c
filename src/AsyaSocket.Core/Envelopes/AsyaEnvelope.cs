using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Core.Envelopes;

/// <summary>
/// The Asya envelope: the JSON body every frame carries. Fields this model does not know survive a
/// read-modify-write round trip unchanged, at every level.
/// </summary>
public sealed class AsyaEnvelope
{
    /// <summary>
    /// The deepest nesting an envelope may have, the envelope object itself included: System.Text.Json's writer
    /// limit, not its reader's default of 64 (the Go sidecar reads 10,000 levels, Python's json about 1,000), so an
    /// envelope an actor wrote with a deep payload is read and passed on whole.
    /// </summary>
    public const int MaxDepth = 1000;

    private static readonly JsonElement NullElement = JsonDocument.Parse("null").RootElement.Clone();
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private AsyaRoute _route = new();
    private Dictionary<string, JsonElement> _headers = new();

    /// <summary>The envelope id; the sidecar sends id-less envelopes to the sump.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>The parent's id on fan-out children; null otherwise.</summary>
    [JsonPropertyName("parent_id")]
    public string? ParentId { get; set; }

    /// <summary>The route (never null; a missing route reads as empty).</summary>
    [JsonPropertyName("route")]
    public AsyaRoute Route { get => _route; set => _route = value ?? new(); }

    /// <summary>Headers such as x-asya-first-attempt and traceparent (never null).</summary>
    [JsonPropertyName("headers")]
    public Dictionary<string, JsonElement> Headers { get => _headers; set => _headers = value ?? new(); }

    /// <summary>The user's data: any JSON value.</summary>
    [JsonPropertyName("payload")]
    public JsonElement Payload { get; set; } = NullElement;

    /// <summary>The processing status, once an actor stamped one.</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AsyaStatus? Status { get; set; }

    /// <summary>Fields this model does not know; kept so a round trip changes nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// A new envelope as the Asya CLI starts a flow: a fresh id (unless given), route through
    /// <paramref name="route"/>, empty headers and the given payload.
    /// </summary>
    public static AsyaEnvelope Create(IEnumerable<string> route, JsonElement payload, string? id = null, string? parentId = null, IDictionary<string, JsonElement>? headers = null) => new()
    {
        Id = string.IsNullOrEmpty(id) ? Guid.NewGuid().ToString() : id,
        ParentId = parentId,
        Route = AsyaRoute.Through(route),
        Headers = headers is null ? new() : new Dictionary<string, JsonElement>(headers),
        Payload = payload.ValueKind == JsonValueKind.Undefined ? NullElement : payload.Clone(),
    };

    /// <summary>Parses a UTF-8 JSON body; throws <see cref="AsyaErrorKind.InvalidEnvelope"/> when it is not a JSON object.</summary>
    public static AsyaEnvelope Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize(utf8Json, EnvelopeJsonContext.Wire.AsyaEnvelope);
            return envelope ?? throw NotAnEnvelope("the body is JSON null", null);
        }
        catch (JsonException error)
        {
            throw NotAnEnvelope(error.Message, error);
        }
    }

    /// <summary>Parses JSON text.</summary>
    public static AsyaEnvelope Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte})"/>, but returns false instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, out AsyaEnvelope? envelope)
    {
        try
        {
            envelope = Parse(utf8Json);
            return true;
        }
        catch (AsyaTransportException)
        {
            envelope = null;
            return false;
        }
    }

    /// <summary>The wire form: compact UTF-8 JSON.</summary>
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, EnvelopeJsonContext.Wire.AsyaEnvelope);

    /// <summary>The wire JSON as text; <paramref name="indented"/> for people.</summary>
    public string ToJson(bool indented = false) =>
        JsonSerializer.Serialize(this, indented ? EnvelopeJsonContext.Indented.AsyaEnvelope : EnvelopeJsonContext.Wire.AsyaEnvelope);

    /// <summary>A deep copy.</summary>
    public AsyaEnvelope Clone() => Parse(ToUtf8Bytes());

    /// <summary>Sets a header from any JSON-serialisable text value.</summary>
    public void SetHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(value, EnvelopeJsonContext.Wire.String));
        Headers[name] = document.RootElement.Clone();
    }

    /// <summary>An empty JSON object element, for callers that need a payload placeholder.</summary>
    public static JsonElement EmptyPayload => EmptyObject;

    /// <inheritdoc />
    public override string ToString() => ToJson();

    private static AsyaTransportException NotAnEnvelope(string detail, Exception? inner) => new(
        AsyaErrorKind.InvalidEnvelope,
        $"The body is not an Asya envelope: {detail}.",
        "Send a JSON object with id, route {prev, curr, next} and payload; use -Text or -Body to send raw bytes.",
        innerException: inner);
}
