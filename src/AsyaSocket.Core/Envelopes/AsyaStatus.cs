using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyaSocket.Core.Envelopes;

/// <summary>An envelope's processing status, as the sidecar stamps it.</summary>
public sealed class AsyaStatus
{
    /// <summary>pending, processing, retrying, succeeded, failed, paused or canceled.</summary>
    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; set; }

    /// <summary>Completed, RuntimeError, Timeout, ParseError, RouteMismatch, PolicyExhausted, ...</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    /// <summary>The actor that set this status.</summary>
    [JsonPropertyName("actor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Actor { get; set; }

    /// <summary>The attempt number.</summary>
    [JsonPropertyName("attempt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempt { get; set; }

    /// <summary>The attempt limit (0: no retries configured).</summary>
    [JsonPropertyName("max_attempts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxAttempts { get; set; }

    /// <summary>RFC 3339 UTC; kept as text so a round trip does not reformat it.</summary>
    [JsonPropertyName("created_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; set; }

    /// <summary>RFC 3339 UTC.</summary>
    [JsonPropertyName("updated_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UpdatedAt { get; set; }

    /// <summary>RFC 3339 UTC.</summary>
    [JsonPropertyName("deadline_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeadlineAt { get; set; }

    /// <summary>What failed, on failed envelopes.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AsyaStatusError? Error { get; set; }

    /// <summary>Fields this model does not know; kept so a round trip changes nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The error carried by a failed envelope's status.</summary>
public sealed class AsyaStatusError
{
    /// <summary>The error message.</summary>
    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }

    /// <summary>The error type name.</summary>
    [JsonPropertyName("type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; set; }

    /// <summary>The error type's base classes, most derived first.</summary>
    [JsonPropertyName("mro")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Mro { get; set; }

    /// <summary>The traceback text.</summary>
    [JsonPropertyName("traceback")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Traceback { get; set; }

    /// <summary>Fields this model does not know; kept so a round trip changes nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
