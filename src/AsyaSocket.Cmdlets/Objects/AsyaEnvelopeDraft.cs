using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// An envelope to edit with ordinary PowerShell syntax before sending it: what New-AsyaEnvelope returns.
/// The payload is PowerShell objects (as ConvertFrom-Json gives them: <c>$e.Payload.amount = 5</c>), the
/// headers a hashtable (<c>$e.Headers['traceparent'] = '00-...'</c>), the route and status their own
/// objects with settable properties. It becomes wire JSON only when it is sent or <see cref="ToJson"/> is
/// called, so every edit counts; fields it does not model are kept from the envelope it was made from.
/// </summary>
public sealed class AsyaEnvelopeDraft
{
    private readonly Dictionary<string, JsonElement>? _extensionData;
    private AsyaRoute _route;
    private OrderedDictionary _headers;

    /// <summary>A draft of <paramref name="envelope"/> (which is not changed by edits to the draft).</summary>
    public AsyaEnvelopeDraft(AsyaEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var copy = envelope.Clone();
        Id = copy.Id;
        ParentId = copy.ParentId;
        _route = copy.Route;
        _headers = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in copy.Headers)
        {
            _headers[name] = PowerShellJson.FromJsonElement(value);
        }

        Payload = PowerShellJson.FromJsonElement(copy.Payload);
        Status = copy.Status;
        _extensionData = copy.ExtensionData;
    }

    /// <summary>The envelope id.</summary>
    public string? Id { get; set; }

    /// <summary>The parent's id on fan-out children; null otherwise.</summary>
    public string? ParentId { get; set; }

    /// <summary>The route: Prev, Curr and Next (never null; assign a hashtable such as @{ Curr = 'a'; Next = 'b' }).</summary>
    public AsyaRoute Route { get => _route; set => _route = value ?? new AsyaRoute(); }

    /// <summary>The headers by name (never null; assign any dictionary).</summary>
    public IDictionary Headers
    {
        get => _headers;
        set
        {
            var headers = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry entry in value ?? new Hashtable())
            {
                headers[entry.Key.ToString() ?? string.Empty] = entry.Value;
            }

            _headers = headers;
        }
    }

    /// <summary>The payload as PowerShell objects; assign any value that Send-AsyaMessage -Payload takes.</summary>
    public object? Payload { get; set; }

    /// <summary>The processing status, once an actor stamped one (assign @{ Phase = 'pending' } to set one).</summary>
    public AsyaStatus? Status { get; set; }

    /// <summary>The envelope as it stands now, ready for the wire.</summary>
    public AsyaEnvelope ToEnvelope()
    {
        var headers = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in _headers)
        {
            headers[(string)entry.Key] = PowerShellJson.ToJsonElement(entry.Value);
        }

        var envelope = new AsyaEnvelope
        {
            Id = Id,
            ParentId = ParentId,
            Route = _route,
            Headers = headers,
            Payload = PowerShellJson.ToJsonElement(Payload),
            Status = Status,
            ExtensionData = _extensionData,
        };
        return envelope.Clone();
    }

    /// <summary>The wire JSON as it stands now; <paramref name="indented"/> for people.</summary>
    public string ToJson(bool indented = false) => ToEnvelope().ToJson(indented);

    /// <inheritdoc />
    public override string ToString() => ToJson();
}
