using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyaSocket.Core.Envelopes;

/// <summary>Source-generated JSON metadata for the envelope: no reflection, safe to trim.</summary>
[JsonSerializable(typeof(AsyaEnvelope))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Disallow)]
internal sealed partial class EnvelopeJsonContext : JsonSerializerContext
{
    /// <summary>Writes non-ASCII text as is, the way the Go and Python sides of Asya read it best.</summary>
    public static EnvelopeJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = Envelopes.AsyaEnvelope.MaxDepth,
    });

    /// <summary>The same, indented for people.</summary>
    public static EnvelopeJsonContext Indented { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = Envelopes.AsyaEnvelope.MaxDepth,
        WriteIndented = true,
    });
}
