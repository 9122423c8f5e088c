using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AsyaSocket.Core.Envelopes;

/// <summary>
/// Writes new envelopes' wire form in one pass: the bytes <see cref="AsyaEnvelope.Create"/> then
/// <see cref="AsyaEnvelope.ToUtf8Bytes"/> give, without building the model or a JSON element for the payload,
/// which the caller writes straight onto the JSON writer. For a sender that wraps every item of a pipeline in
/// an envelope, that round trip was most of the work that is not the send. One instance reuses its buffer and
/// writer, so it serves one thread at a time.
/// </summary>
public sealed class AsyaEnvelopeWriter : IDisposable
{
    // The wire options of AsyaEnvelope.ToUtf8Bytes: non-ASCII text as is, nesting to MaxDepth.
    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = AsyaEnvelope.MaxDepth,
    };

    private static readonly IReadOnlyDictionary<string, JsonElement> EmptyHeaders = new Dictionary<string, JsonElement>();

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _json;

    /// <summary>A writer with an empty buffer.</summary>
    public AsyaEnvelopeWriter() => _json = new Utf8JsonWriter(_buffer, Options);

    /// <summary>Writes one JSON value (the payload) onto <paramref name="writer"/>.</summary>
    public delegate void PayloadWriter<in TState>(Utf8JsonWriter writer, TState state);

    /// <summary>
    /// A new envelope as <see cref="AsyaEnvelope.Create"/> makes it (a fresh id unless <paramref name="id"/> is
    /// given, route through <paramref name="route"/>, the headers given or none), with the payload
    /// <paramref name="writePayload"/> writes: exactly one JSON value, else an <see cref="InvalidOperationException"/>.
    /// What the payload writer throws comes through, and the next call starts afresh.
    /// </summary>
    public WrittenEnvelope Write<TState>(IReadOnlyList<string> route, string? id, string? parentId, IReadOnlyDictionary<string, JsonElement>? headers, TState state, PayloadWriter<TState> writePayload)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(writePayload);
        AsyaRoute.Check(route, nameof(route));
        var envelopeId = string.IsNullOrEmpty(id) ? Guid.NewGuid().ToString() : id;

        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("id"u8, envelopeId);
        if (parentId is null)
        {
            _json.WriteNull("parent_id"u8);
        }
        else
        {
            _json.WriteString("parent_id"u8, parentId);
        }

        _json.WriteStartObject("route"u8);
        _json.WriteStartArray("prev"u8);
        _json.WriteEndArray();
        _json.WriteString("curr"u8, route[0]);
        _json.WriteStartArray("next"u8);
        for (var i = 1; i < route.Count; i++)
        {
            _json.WriteStringValue(route[i]);
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.WriteStartObject("headers"u8);
        foreach (var (name, value) in headers ?? EmptyHeaders)
        {
            _json.WritePropertyName(name);
            value.WriteTo(_json);
        }

        _json.WriteEndObject();
        _json.WritePropertyName("payload"u8);
        writePayload(_json, state);
        _json.WriteEndObject();
        _json.Flush();
        return new WrittenEnvelope(envelopeId, route[0], _buffer.WrittenSpan.ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();
}

/// <summary>An envelope <see cref="AsyaEnvelopeWriter"/> wrote: its id, the actor it is for (route.curr), and its wire bytes (a frame body).</summary>
public readonly record struct WrittenEnvelope(string Id, string Actor, byte[] Body);
