using System.Globalization;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;

namespace AsyaSocket.Core.Actors;

/// <summary>An envelope an actor sends on, and where.</summary>
/// <param name="Actor">The next actor, the sink or the sump.</param>
/// <param name="Envelope">The envelope to send.</param>
public sealed record ActorDispatch(string Actor, AsyaEnvelope Envelope);

/// <summary>
/// The routing rules an Asya sidecar applies around its runtime, for actors hosted outside a sidecar
/// (mock actors, local flows): check the route, shift it after processing, stamp the status and the
/// first-attempt header, fan out several results, and route failures to the sink or the sump.
/// </summary>
public sealed class ActorRules
{
    /// <summary>The header the sidecar stamps with the time of the first attempt.</summary>
    public const string FirstAttemptHeader = "x-asya-first-attempt";

    /// <summary>The sink's default name (ASYA_ACTOR_SINK).</summary>
    public const string DefaultSink = "x-sink";

    /// <summary>The sump's default name (ASYA_ACTOR_SUMP).</summary>
    public const string DefaultSump = "x-sump";

    private readonly TimeProvider _time;

    /// <summary>Rules for the actor <paramref name="name"/>.</summary>
    public ActorRules(string name, string? sink = null, string? sump = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Sink = string.IsNullOrEmpty(sink) ? Environment.GetEnvironmentVariable("ASYA_ACTOR_SINK") is { Length: > 0 } s ? s : DefaultSink : sink;
        Sump = string.IsNullOrEmpty(sump) ? Environment.GetEnvironmentVariable("ASYA_ACTOR_SUMP") is { Length: > 0 } p ? p : DefaultSump : sump;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The actor's name (what route.curr must be).</summary>
    public string Name { get; }

    /// <summary>Where finished envelopes go: successes and handler failures.</summary>
    public string Sink { get; }

    /// <summary>Where infrastructure errors go: unparsable bodies, route mismatches.</summary>
    public string Sump { get; }

    /// <summary>
    /// Accepts a body for processing: the envelope when it is one and is for this actor; otherwise the
    /// error envelope for the sump (ParseError or RouteMismatch) in <paramref name="rejection"/>.
    /// </summary>
    public AsyaEnvelope? Accept(ReadOnlySpan<byte> body, out ActorDispatch? rejection)
    {
        if (!AsyaEnvelope.TryParse(body, out var envelope) || string.IsNullOrEmpty(envelope!.Id))
        {
            var text = System.Text.Encoding.UTF8.GetString(body);
            var reason = envelope is null ? "the body is not a JSON envelope" : "the envelope has no id";
            rejection = new ActorDispatch(Sump, ErrorEnvelope(envelope?.Id ?? Guid.NewGuid().ToString(), envelope?.Route, "ParseError", "Invalid envelope", reason, Json.String(text)));
            return null;
        }

        if (!string.Equals(envelope.Route.Curr, Name, StringComparison.Ordinal))
        {
            rejection = new ActorDispatch(Sump, ErrorEnvelope(envelope.Id, envelope.Route, "RouteMismatch", "Route mismatch",
                $"route.curr is '{envelope.Route.Curr}' but this actor is '{Name}'", envelope.Payload));
            return null;
        }

        rejection = null;
        return envelope;
    }

    /// <summary>
    /// The envelopes to send after <paramref name="input"/> was processed into <paramref name="payloads"/>:
    /// none keeps the payload; several fan out, the first keeping the id and the others getting new ids
    /// with parent_id set. Each goes to the next actor, or to the sink when the route is done.
    /// </summary>
    public IReadOnlyList<ActorDispatch> Succeeded(AsyaEnvelope input, IReadOnlyList<JsonElement> payloads)
    {
        var results = payloads.Count == 0 ? new[] { input.Payload } : payloads.ToArray();
        var dispatches = new List<ActorDispatch>(results.Length);
        for (var index = 0; index < results.Length; index++)
        {
            var child = input.Clone();
            child.Payload = results[index];
            if (index > 0)
            {
                child.ParentId = input.Id;
                child.Id = Guid.NewGuid().ToString();
            }

            child.Route.Shift();
            Stamp(child, "succeeded", "Completed");
            dispatches.Add(new ActorDispatch(child.Route.IsDone ? Sink : child.Route.Curr, child));
        }

        return dispatches;
    }

    /// <summary>The failed envelope for the sink after the handler threw.</summary>
    public ActorDispatch Failed(AsyaEnvelope input, string message, string errorType, string? traceback = null)
    {
        var failed = input.Clone();
        var status = Stamp(failed, "failed", "RuntimeError");
        status.Error = new AsyaStatusError { Message = message, Type = errorType, Traceback = traceback };
        return new ActorDispatch(Sink, failed);
    }

    /// <summary>
    /// The error envelope for the sump when <paramref name="undelivered"/> could not be sent to
    /// <paramref name="destination"/> (it stayed missing after the retries): same id, route and headers,
    /// payload <c>{error, details, original_payload}</c>, status failed with reason <c>DeliveryFailed</c>.
    /// </summary>
    public ActorDispatch Undeliverable(AsyaEnvelope undelivered, string destination, string error)
    {
        ArgumentNullException.ThrowIfNull(undelivered);
        var envelope = undelivered.Clone();
        var details = $"could not deliver to '{destination}': {error}";
        envelope.Payload = JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement>
        {
            ["error"] = Json.String("Delivery failed"),
            ["details"] = Json.String(details),
            ["original_payload"] = undelivered.Payload,
        }, EnvelopeJsonContext.Wire.DictionaryStringJsonElement);
        var status = Stamp(envelope, "failed", "DeliveryFailed");
        status.Error = new AsyaStatusError { Message = $"Delivery failed: {details}", Type = "DeliveryFailed" };
        return new ActorDispatch(Sump, envelope);
    }

    private AsyaEnvelope ErrorEnvelope(string id, AsyaRoute? route, string reason, string error, string details, JsonElement originalPayload)
    {
        var payload = new Dictionary<string, JsonElement>
        {
            ["error"] = Json.String(error),
            ["details"] = Json.String(details),
            ["original_payload"] = originalPayload,
        };
        var envelope = new AsyaEnvelope
        {
            Id = id,
            Route = route ?? new AsyaRoute(),
            Payload = JsonSerializer.SerializeToElement(payload, EnvelopeJsonContext.Wire.DictionaryStringJsonElement),
        };
        var status = Stamp(envelope, "failed", reason);
        status.Error = new AsyaStatusError { Message = $"{error}: {details}", Type = reason };
        return envelope;
    }

    private AsyaStatus Stamp(AsyaEnvelope envelope, string phase, string reason)
    {
        var now = _time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (!envelope.Headers.ContainsKey(FirstAttemptHeader))
        {
            envelope.SetHeader(FirstAttemptHeader, now);
        }

        var status = envelope.Status ?? new AsyaStatus();
        status.Phase = phase;
        status.Reason = reason;
        status.Actor = Name;
        status.Attempt = 1;
        status.MaxAttempts ??= 0;
        status.CreatedAt ??= now;
        status.UpdatedAt = now;
        envelope.Status = status;
        return status;
    }

    private static class Json
    {
        public static JsonElement String(string value) => JsonSerializer.SerializeToElement(value, EnvelopeJsonContext.Wire.String);
    }
}
