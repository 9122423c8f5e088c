using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;

namespace AsyaSocket.Infrastructure;

/// <summary>Builds and reads envelopes from what users pass: PowerShell values, hashtables of headers, JSON text.</summary>
internal static class EnvelopeInput
{
    /// <summary>A new envelope whose route starts at <paramref name="route"/>'s first actor (or at <paramref name="actor"/>).</summary>
    /// <remarks>Read back from what <see cref="Write"/> writes, so a new envelope has one maker whatever it is for.</remarks>
    public static AsyaEnvelope Create(string? actor, string[]? route, object? payload, string? id, string? parentId, Hashtable? header, int? depth = null)
    {
        using var writer = new AsyaEnvelopeWriter();
        return AsyaEnvelope.Parse(Write(writer, actor, route, payload, id, parentId, header, depth).Body);
    }

    /// <summary>
    /// The wire bytes of a new envelope, written in one pass by <paramref name="writer"/>: the payload goes from
    /// PowerShell values straight to JSON, never through a JSON element or the model.
    /// </summary>
    public static WrittenEnvelope Write(AsyaEnvelopeWriter writer, string? actor, string[]? route, object? payload, string? id, string? parentId, Hashtable? header, int? depth = null) =>
        writer.Write(ActorsOf(actor, route), id, parentId, ToHeaders(header), (payload, depth), static (json, item) => PowerShellJson.Write(json, item.payload, item.depth));

    private static string[] ActorsOf(string? actor, string[]? route) =>
        route is { Length: > 0 } ? route
        : actor is { Length: > 0 } ? [actor]
        : throw new ArgumentException("No actor to send to. Give -Actor, or -Route with the actors in order.");

    /// <summary>An envelope from an AsyaEnvelope, a received AsyaMessage, JSON text, or any object shaped like one.</summary>
    public static AsyaEnvelope Read(object value)
    {
        var unwrapped = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            AsyaEnvelope envelope => envelope,
            AsyaEnvelopeDraft draft => draft.ToEnvelope(),
            AsyaMessage message => message.Envelope ?? AsyaEnvelope.Parse(message.TransportMessage.Body.Span),
            string json => AsyaEnvelope.Parse(json),
            _ => AsyaEnvelope.Parse(PowerShellJson.ToUtf8Json(value).Span),
        };
    }

    private static Dictionary<string, JsonElement>? ToHeaders(Hashtable? header)
    {
        if (header is null)
        {
            return null;
        }

        var headers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in header)
        {
            headers[entry.Key.ToString() ?? string.Empty] = PowerShellJson.ToJsonElement(entry.Value);
        }

        return headers;
    }
}
