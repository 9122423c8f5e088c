using System.Text;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// <see cref="AsyaEnvelopeWriter"/> against the model it stands in for: for every payload, route, id, parent and
/// headers, its bytes are exactly <see cref="AsyaEnvelope.Create"/> then <see cref="AsyaEnvelope.ToUtf8Bytes"/>.
/// </summary>
public class EnvelopeWriterTests
{
    // Text the writer escapes: quotes and backslashes, control characters, HTML-sensitive characters (written
    // as is on the wire), non-ASCII in and outside the BMP, and a lone surrogate.
    public static TheoryData<string> Texts => new()
    {
        "plain", "", "quote \" and \\ backslash", "line\nbreak\ttab\u0001\u001f\u007f", "<script>&'+`</script>",
        "ünïcødé ✓", "😀 outside the BMP", "lone \ud800 surrogate", new string('x', 5000),
    };

    public static TheoryData<string> PayloadJson => new()
    {
        "null", "true", "0", "-12", "42.5", "1e300", "123456789012345678901234567890", "\"text\"", "[]", "{}",
        """{"order_id":"A-1001","amount":42.5,"lines":[{"sku":"x","tags":["a","b"]},null,false]}""",
        """{"a":{"b":{"c":{"d":[1,[2,[3,{"e":"deep"}]]]}}}}""",
    };

    [Theory]
    [MemberData(nameof(PayloadJson))]
    public void APayloadWrittenOntoTheWriterGivesTheModelsBytes(string json)
    {
        using var document = JsonDocument.Parse(json);
        foreach (var (route, id, parentId, headers) in Shapes())
        {
            using var writer = new AsyaEnvelopeWriter();
            var written = writer.Write(route, id, parentId, headers, document.RootElement, static (json, payload) => payload.WriteTo(json));
            var expected = AsyaEnvelope.Create(route, document.RootElement, written.Id, parentId, headers?.ToDictionary()).ToUtf8Bytes();
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(written.Body));
            Assert.Equal(expected, written.Body);
            Assert.Equal(route[0], written.Actor);
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void TextIsEscapedAsTheModelEscapesIt(string text)
    {
        using var writer = new AsyaEnvelopeWriter();
        var written = writer.Write(["a", text.Length == 0 ? "b" : text], text.Length == 0 ? null : text, text, Headers(text), text, static (json, value) => json.WriteStringValue(value));
        var expected = AsyaEnvelope.Create(["a", text.Length == 0 ? "b" : text], JsonSerializer.SerializeToElement(text), written.Id, text, Headers(text)?.ToDictionary()).ToUtf8Bytes();
        Assert.Equal(expected, written.Body);
        Assert.Equal(text, AsyaEnvelope.Parse(written.Body).Payload.GetString());
    }

    [Fact]
    public void AnIdIsFreshUnlessGivenAndTheWriterStartsAfreshEachTime()
    {
        using var writer = new AsyaEnvelopeWriter();
        var first = writer.Write(["a"], null, null, null, 1, static (json, n) => json.WriteNumberValue(n));
        var second = writer.Write(["a"], "", null, null, 2, static (json, n) => json.WriteNumberValue(n));
        var given = writer.Write(["a"], "mine", null, null, 3, static (json, n) => json.WriteNumberValue(n));
        Assert.True(Guid.TryParse(first.Id, out _));
        Assert.True(Guid.TryParse(second.Id, out _));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("mine", given.Id);
        Assert.Equal("a", given.Actor);
        Assert.Equal($$"""{"id":"{{first.Id}}","parent_id":null,"route":{"prev":[],"curr":"a","next":[]},"headers":{},"payload":1}""", Encoding.UTF8.GetString(first.Body));
        Assert.Equal("""{"id":"mine","parent_id":null,"route":{"prev":[],"curr":"a","next":[]},"headers":{},"payload":3}""", Encoding.UTF8.GetString(given.Body));
    }

    [Fact]
    public void APayloadWriterMustWriteExactlyOneValueAndAFailureLeavesNothingBehind()
    {
        using var writer = new AsyaEnvelopeWriter();
        Assert.Throws<InvalidOperationException>(() => writer.Write(["a"], "x", null, null, 0, static (_, _) => { }));
        Assert.Throws<InvalidOperationException>(() => writer.Write(["a"], "x", null, null, 0, static (json, _) =>
        {
            json.WriteNumberValue(1);
            json.WriteNumberValue(2);
        }));
        Assert.Throws<FormatException>(() => writer.Write(["a"], "x", null, null, 0, static (json, _) =>
        {
            json.WriteStartArray();
            throw new FormatException("the payload could not be written");
        }));

        var after = writer.Write(["a"], "x", null, null, "ok", static (json, text) => json.WriteStringValue(text));
        Assert.Equal("""{"id":"x","parent_id":null,"route":{"prev":[],"curr":"a","next":[]},"headers":{},"payload":"ok"}""", Encoding.UTF8.GetString(after.Body));
    }

    [Fact]
    public void ARouteNeedsAnActorAndNoBlankOnesAsTheModelSays()
    {
        using var writer = new AsyaEnvelopeWriter();
        foreach (var route in new[] { Array.Empty<string>(), ["a", " "], [""] })
        {
            var expected = Assert.Throws<ArgumentException>(() => AsyaEnvelope.Create(route, AsyaEnvelope.EmptyPayload));
            var error = Assert.Throws<ArgumentException>(() => writer.Write(route, null, null, null, 0, static (json, n) => json.WriteNumberValue(n)));
            Assert.Equal(expected.Message.Replace("'actors'", "'route'"), error.Message);
        }
    }

    [Fact]
    public void APayloadAsDeepAsAnEnvelopeMayBeIsWritten()
    {
        using var writer = new AsyaEnvelopeWriter();
        var depth = AsyaEnvelope.MaxDepth - 1;
        var written = writer.Write(["a"], "deep", null, null, depth, static (json, levels) =>
        {
            for (var i = 0; i < levels; i++)
            {
                json.WriteStartArray();
            }

            for (var i = 0; i < levels; i++)
            {
                json.WriteEndArray();
            }
        });
        Assert.Equal(written.Body, AsyaEnvelope.Parse(written.Body).ToUtf8Bytes());
        Assert.Throws<InvalidOperationException>(() => writer.Write(["a"], "deeper", null, null, depth + 1, static (json, levels) =>
        {
            for (var i = 0; i < levels; i++)
            {
                json.WriteStartArray();
            }
        }));
    }

    private static IEnumerable<(string[] Route, string? Id, string? ParentId, IReadOnlyDictionary<string, JsonElement>? Headers)> Shapes()
    {
        yield return (["validate-order"], null, null, null);
        yield return (["a", "b", "c"], "given-id", "parent-1", Headers("v"));
        yield return (["a"], "", null, new Dictionary<string, JsonElement>());
    }

    private static Dictionary<string, JsonElement>? Headers(string text) => text.Length == 0 ? null : new()
    {
        ["traceparent"] = JsonSerializer.SerializeToElement("00-abc-def-01"),
        ["x-text"] = JsonSerializer.SerializeToElement(text),
        ["x-obj"] = JsonDocument.Parse("""{"n":[1,2.5,null]}""").RootElement,
    };
}
