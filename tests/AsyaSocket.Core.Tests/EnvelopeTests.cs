using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Core.Tests;

/// <summary>Protocol §5: the envelope model, the two documented examples, route mechanics and lossless round trips.</summary>
public class EnvelopeTests
{
    private const string CliExample = """
        {"id":"3f2c9a1e-8d7b-4a51-9e0f-2b6d5c4a1f00","parent_id":null,
         "route":{"prev":[],"curr":"validate-order","next":[]},
         "headers":{},"payload":{"order_id":"A-1001","amount":42.5}}
        """;

    private const string SinkExample = """
        {"id":"3f2c9a1e-8d7b-4a51-9e0f-2b6d5c4a1f00",
         "route":{"prev":["validate-order"],"curr":"","next":[]},
         "headers":{"x-asya-first-attempt":"2026-01-15T10:00:00Z"},
         "payload":{"order_id":"A-1001","amount":42.5,"valid":true},
         "status":{"phase":"succeeded","reason":"Completed","actor":"validate-order","attempt":1,
                   "max_attempts":0,"created_at":"2026-01-15T10:00:00Z","updated_at":"2026-01-15T10:00:01Z"}}
        """;

    private const string WithUnknownFields = """
        {"id":"e1","parent_id":"p0","x-top":{"nested":[1,2,{"k":null}]},"x-flag":true,
         "route":{"prev":["z"],"curr":"a","next":["b","c"],"x-hop":3,"x-via":["gw"]},
         "headers":{"traceparent":"00-abc-def-01","x-num":7,"x-obj":{"a":[true,false]}},
         "payload":[1,"two",{"three":3.25}],
         "status":{"phase":"retrying","reason":"Timeout","attempt":2,"max_attempts":5,"x-backoff-ms":1500,
                   "error":{"message":"boom","type":"ValueError","mro":["ValueError","Exception"],"traceback":"tb","x-code":"E42"}}}
        """;

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"JSON differs.\nexpected: {expected}\nactual:   {actual}");

    [Fact]
    public void ParsesTheCliStartExample()
    {
        var envelope = AsyaEnvelope.Parse(CliExample);
        Assert.Equal("3f2c9a1e-8d7b-4a51-9e0f-2b6d5c4a1f00", envelope.Id);
        Assert.Null(envelope.ParentId);
        Assert.Empty(envelope.Route.Prev);
        Assert.Equal("validate-order", envelope.Route.Curr);
        Assert.Empty(envelope.Route.Next);
        Assert.False(envelope.Route.IsDone);
        Assert.Empty(envelope.Headers);
        Assert.Equal("A-1001", envelope.Payload.GetProperty("order_id").GetString());
        Assert.Equal(42.5, envelope.Payload.GetProperty("amount").GetDouble());
        Assert.Null(envelope.Status);
        Assert.Null(envelope.ExtensionData);
    }

    [Fact]
    public void ParsesTheSinkSuccessExample()
    {
        var envelope = AsyaEnvelope.Parse(Encoding.UTF8.GetBytes(SinkExample));
        Assert.Equal(new[] { "validate-order" }, envelope.Route.Prev);
        Assert.Equal("", envelope.Route.Curr);
        Assert.True(envelope.Route.IsDone);
        Assert.Equal("2026-01-15T10:00:00Z", envelope.Headers["x-asya-first-attempt"].GetString());
        Assert.True(envelope.Payload.GetProperty("valid").GetBoolean());
        var status = envelope.Status!;
        Assert.Equal(("succeeded", "Completed", "validate-order"), (status.Phase, status.Reason, status.Actor));
        Assert.Equal((1, 0), (status.Attempt, status.MaxAttempts));
        Assert.Equal(("2026-01-15T10:00:00Z", "2026-01-15T10:00:01Z"), (status.CreatedAt, status.UpdatedAt));
        Assert.Null(status.DeadlineAt);
        Assert.Null(status.Error);
    }

    [Fact]
    public void CliExampleRoundTripsUnchanged()
    {
        AssertJsonEqual(CliExample, AsyaEnvelope.Parse(CliExample).ToJson());
        AssertJsonEqual(CliExample, Encoding.UTF8.GetString(AsyaEnvelope.Parse(CliExample).ToUtf8Bytes()));
    }

    [Fact]
    public void SinkExampleRoundTripsUnchangedApartFromAnExplicitNullParentId()
    {
        // parent_id is always written; null is what a missing parent_id means to the sidecar (omitempty pointer).
        var expected = JsonNode.Parse(SinkExample)!.AsObject();
        expected["parent_id"] = null;
        AssertJsonEqual(expected.ToJsonString(), AsyaEnvelope.Parse(SinkExample).ToJson());
    }

    [Fact]
    public void UnknownFieldsAtEveryLevelSurviveARoundTripUnchanged()
    {
        AssertJsonEqual(WithUnknownFields, AsyaEnvelope.Parse(WithUnknownFields).ToJson());
    }

    [Fact]
    public void UnknownFieldsSurviveAReadModifyWrite()
    {
        var envelope = AsyaEnvelope.Parse(WithUnknownFields);
        envelope.Route.Shift();
        envelope.Status!.Phase = "succeeded";
        envelope.SetHeader("x-added", "yes");
        var written = JsonNode.Parse(envelope.ToUtf8Bytes())!;
        var original = JsonNode.Parse(WithUnknownFields)!;

        foreach (var field in new[] { "x-top", "x-flag", "headers/traceparent", "headers/x-num", "headers/x-obj", "route/x-hop", "route/x-via", "status/x-backoff-ms", "status/error", "payload", "parent_id" })
        {
            Assert.True(JsonNode.DeepEquals(At(original, field), At(written, field)), $"'{field}' changed: {At(written, field)?.ToJsonString()}");
        }

        Assert.Equal("yes", (string?)written["headers"]!["x-added"]);
        Assert.Equal("succeeded", (string?)written["status"]!["phase"]);
        Assert.Equal("""{"prev":["z","a"],"curr":"b","next":["c"],"x-hop":3,"x-via":["gw"]}""", written["route"]!.ToJsonString());

        static JsonNode? At(JsonNode node, string path) => path.Split('/').Aggregate<string, JsonNode?>(node, (current, name) => current?[name]);
    }

    [Fact]
    public void NullPrevAndNextAreAcceptedAsEmpty()
    {
        var envelope = AsyaEnvelope.Parse("""{"id":"1","route":{"prev":null,"curr":"a","next":null},"payload":null}""");
        Assert.Empty(envelope.Route.Prev);
        Assert.Empty(envelope.Route.Next);
        envelope.Route.Shift();
        Assert.Equal(new[] { "a" }, envelope.Route.Prev);
        Assert.True(envelope.Route.IsDone);
    }

    [Fact]
    public void MissingRouteAndHeadersReadAsEmpty()
    {
        var envelope = AsyaEnvelope.Parse("""{"id":"1","route":null,"headers":null,"payload":{}}""");
        Assert.True(envelope.Route.IsDone);
        Assert.Empty(envelope.Headers);
        var bare = AsyaEnvelope.Parse("{}");
        Assert.Null(bare.Id); // id-less: the sidecar routes it to x-sump; parsing does not judge
        Assert.Equal(JsonValueKind.Null, bare.Payload.ValueKind);
    }

    [Fact]
    public void RouteShiftFollowsTheSidecar()
    {
        var route = AsyaRoute.Through(["a", "b", "c"]);
        Assert.Equal((0, "a", 2), (route.Prev.Count, route.Curr, route.Next.Count));

        route.Shift();
        Assert.Equal(new[] { "a" }, route.Prev);
        Assert.Equal("b", route.Curr);
        Assert.Equal(new[] { "c" }, route.Next);

        route.Shift();
        route.Shift();
        Assert.Equal(new[] { "a", "b", "c" }, route.Prev);
        Assert.Equal("", route.Curr);
        Assert.Empty(route.Next);
        Assert.True(route.IsDone);
    }

    [Fact]
    public void RouteNeedsAtLeastOneNonBlankActor()
    {
        Assert.Throws<ArgumentException>(() => AsyaRoute.Through([]));
        Assert.Throws<ArgumentException>(() => AsyaRoute.Through(["a", " "]));
        Assert.Throws<ArgumentException>(() => AsyaEnvelope.Create([], AsyaEnvelope.EmptyPayload));
    }

    [Fact]
    public void CreateGivesAFreshIdAndARouteLikeTheCli()
    {
        var payload = JsonDocument.Parse("""{"order_id":"A-1001"}""").RootElement;
        var first = AsyaEnvelope.Create(["validate-order", "ship"], payload);
        var second = AsyaEnvelope.Create(["validate-order", "ship"], payload);

        Assert.True(Guid.TryParse(first.Id, out _), $"'{first.Id}' is not a UUID");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Null(first.ParentId);
        Assert.Empty(first.Route.Prev);
        Assert.Equal("validate-order", first.Route.Curr);
        Assert.Equal(new[] { "ship" }, first.Route.Next);
        Assert.Empty(first.Headers);
        Assert.Null(first.Status);
        Assert.Equal("A-1001", first.Payload.GetProperty("order_id").GetString());
        Assert.NotSame(first.Route, second.Route);

        var wire = JsonNode.Parse(first.ToUtf8Bytes())!.AsObject();
        Assert.Equal(new[] { "id", "parent_id", "route", "headers", "payload" }, wire.Select(p => p.Key));

        var withId = AsyaEnvelope.Create(["a"], payload, id: "given", parentId: "parent");
        Assert.Equal(("given", "parent"), (withId.Id, withId.ParentId));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("42")]
    [InlineData("{\"id\":")]
    public void NonEnvelopeBodiesAreInvalidEnvelope(string body)
    {
        var error = Assert.Throws<AsyaTransportException>(() => AsyaEnvelope.Parse(body));
        Assert.Equal(AsyaErrorKind.InvalidEnvelope, error.Kind);
        Assert.False(AsyaEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var envelope));
        Assert.Null(envelope);
    }

    [Fact]
    public void ReceivedMessageParsesItsEnvelopeOnDemand()
    {
        var good = new AsyaReceivedMessage("a", Encoding.UTF8.GetBytes(CliExample), DateTimeOffset.UtcNow, Guid.NewGuid());
        Assert.Same(good.GetEnvelope(), good.GetEnvelope());
        Assert.Equal("validate-order", good.TryGetEnvelope()!.Route.Curr);

        var bad = new AsyaReceivedMessage("a", "nope"u8.ToArray(), DateTimeOffset.UtcNow, Guid.NewGuid());
        Assert.Null(bad.TryGetEnvelope());
        Assert.Equal(AsyaErrorKind.InvalidEnvelope, Assert.Throws<AsyaTransportException>(() => bad.GetEnvelope()).Kind);
        Assert.Equal(AsyaErrorKind.InvalidEnvelope, Assert.Throws<AsyaTransportException>(() => bad.GetEnvelope()).Kind);
    }

    [Fact]
    public void NonAsciiTextIsWrittenAsIsAndSurvivesByValue()
    {
        var envelope = AsyaEnvelope.Create(["a"], JsonDocument.Parse("\"ünïcødé ✓ 😀\"").RootElement);
        Assert.Contains("ünïcødé ✓", envelope.ToJson()); // not \u-escaped (characters outside the BMP still are, which JSON readers accept)
        Assert.Equal("ünïcødé ✓ 😀", AsyaEnvelope.Parse(envelope.ToUtf8Bytes()).Payload.GetString());
    }

    [Fact]
    public void CloneIsDeep()
    {
        var original = AsyaEnvelope.Parse(WithUnknownFields);
        var clone = original.Clone();
        clone.Route.Shift();
        Assert.Equal("a", original.Route.Curr);
        AssertJsonEqual(original.ToJson(), AsyaEnvelope.Parse(WithUnknownFields).ToJson());
    }

    [Fact]
    public void AnEnvelopeAsDeepAsTheLimitRoundTripsByteForByteAndADeeperOneIsInvalid()
    {
        static byte[] Nested(int payloadDepth) => Encoding.UTF8.GetBytes(
            "{\"id\":\"d\",\"parent_id\":null,\"route\":{\"prev\":[],\"curr\":\"a\",\"next\":[]},\"headers\":{},\"payload\":"
            + string.Concat(Enumerable.Repeat("[", payloadDepth)) + "7" + string.Concat(Enumerable.Repeat("]", payloadDepth)) + "}");

        // Deeper than System.Text.Json's default of 64, which would turn a real actor's envelope into an invalid one.
        var deepest = Nested(AsyaEnvelope.MaxDepth - 1);
        var envelope = AsyaEnvelope.Parse(deepest);
        Assert.Equal(deepest, envelope.ToUtf8Bytes());
        Assert.Equal(AsyaEnvelope.MaxDepth - 1, envelope.ToJson(indented: true).Split('\n').Count(line => line.TrimEnd().EndsWith('[')));

        var error = Assert.Throws<AsyaTransportException>(() => AsyaEnvelope.Parse(Nested(AsyaEnvelope.MaxDepth)));
        Assert.Equal(AsyaErrorKind.InvalidEnvelope, error.Kind);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
