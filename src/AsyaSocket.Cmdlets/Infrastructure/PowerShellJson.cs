using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// Converts between PowerShell values and JSON the way ConvertTo-Json and ConvertFrom-Json do, but
/// without ConvertTo-Json's silent truncation at depth 2: nesting is kept to <see cref="MaxDepth"/>,
/// and deeper (a reference cycle, usually) is an error instead of lost data.
/// </summary>
internal static class PowerShellJson
{
    /// <summary>The deepest nesting written.</summary>
    public const int MaxDepth = 100;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    // What was just written is read back whole: the reader's default of 64 levels is less than MaxDepth.
    private static readonly JsonDocumentOptions ReaderOptions = new() { MaxDepth = AsyaEnvelope.MaxDepth };

    /// <summary>
    /// Any PowerShell value as a JSON element. With <paramref name="depth"/>, what is nested deeper is written as
    /// its text (ConvertTo-Json -Depth); without it, nesting deeper than <see cref="MaxDepth"/> is a
    /// <see cref="PayloadTooDeepException"/>.
    /// </summary>
    public static JsonElement ToJsonElement(object? value, int? depth = null)
    {
        using var document = JsonDocument.Parse(ToUtf8Json(value, depth), ReaderOptions);
        return document.RootElement.Clone();
    }

    /// <summary>Any PowerShell value as UTF-8 JSON, by the rules of <see cref="ToJsonElement"/>.</summary>
    public static ReadOnlyMemory<byte> ToUtf8Json(object? value, int? depth = null)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, value, depth);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Writes any PowerShell value onto <paramref name="writer"/> as one JSON value, by the rules of <see cref="ToJsonElement"/>.</summary>
    public static void Write(Utf8JsonWriter writer, object? value, int? depth) => Write(writer, value, new Level(0, depth));

    /// <summary>UTF-8 JSON text as PowerShell values, as <see cref="FromJsonElement"/> makes them, to any depth an envelope may have.</summary>
    public static object? FromUtf8Json(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, ReaderOptions);
        return FromJsonElement(document.RootElement);
    }

    /// <summary>A JSON element as PowerShell values: objects become PSCustomObjects, arrays object[], integers Int64, other numbers Double.</summary>
    public static object? FromJsonElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToCustomObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJsonElement).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => ToNumber(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToCustomObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (var property in element.EnumerateObject())
        {
            result.Properties.Add(new PSNoteProperty(property.Name, FromJsonElement(property.Value)));
        }

        return result;
    }

    private static object ToNumber(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return integer;
        }

        var text = element.GetRawText();
        if (text.IndexOfAny(new[] { '.', 'e', 'E' }) < 0 && BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big))
        {
            return big;
        }

        return element.GetDouble();
    }

    // How deep a value is, and where a -Depth cut-off (if any) turns deeper values into text.
    private readonly record struct Level(int Depth, int? CutOff)
    {
        public Level Deeper => this with { Depth = Depth + 1 };

        public bool IsCut => CutOff is { } cutOff && Depth > cutOff;
    }

    private static void Write(Utf8JsonWriter writer, object? value, Level level)
    {
        if (level.IsCut && value is not null && !IsScalar(value))
        {
            writer.WriteStringValue(PSObject.AsPSObject(value).ToString());
            return;
        }

        if (level.Depth > MaxDepth)
        {
            throw new PayloadTooDeepException(MaxDepth);
        }

        if (value is PSObject wrapped)
        {
            if (wrapped.BaseObject is PSCustomObject)
            {
                WriteProperties(writer, wrapped, level);
                return;
            }

            value = wrapped.BaseObject;
        }

        switch (value)
        {
            case null or DBNull:
                writer.WriteNullValue();
                return;
            case JsonElement element:
                element.WriteTo(writer);
                return;
            case AsyaEnvelope envelope:
                writer.WriteRawValue(envelope.ToUtf8Bytes());
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case char character:
                writer.WriteStringValue(character.ToString());
                return;
            case bool flag:
                writer.WriteBooleanValue(flag);
                return;
            case Enum enumValue:
                writer.WriteNumberValue(Convert.ToInt64(enumValue, CultureInfo.InvariantCulture));
                return;
            case byte or sbyte or short or ushort or int or uint or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong unsigned:
                writer.WriteNumberValue(unsigned);
                return;
            case float or double:
                WriteFloating(writer, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            case decimal number:
                writer.WriteNumberValue(number);
                return;
            case BigInteger big:
                writer.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                return;
            case DateTime dateTime:
                writer.WriteStringValue(dateTime.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset dateTimeOffset:
                writer.WriteStringValue(dateTimeOffset.ToString("o", CultureInfo.InvariantCulture));
                return;
            case Guid or Uri or Version or TimeSpan:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                WriteDictionary(writer, dictionary, level);
                return;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, item, level.Deeper);
                }

                writer.WriteEndArray();
                return;
            default:
                WriteProperties(writer, PSObject.AsPSObject(value), level);
                return;
        }
    }

    // Values written as themselves at any depth (ConvertTo-Json cuts only objects and collections).
    private static bool IsScalar(object value) => (value is PSObject wrapped ? wrapped.BaseObject : value) is
        string or char or bool or Enum or byte or sbyte or short or ushort or int or uint or long or ulong or float or double
        or decimal or BigInteger or DateTime or DateTimeOffset or Guid or Uri or Version or TimeSpan or DBNull;

    private static void WriteFloating(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            // JSON has no NaN or Infinity; ConvertTo-Json writes them as text too.
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteDictionary(Utf8JsonWriter writer, IDictionary dictionary, Level level)
    {
        writer.WriteStartObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
            Write(writer, entry.Value, level.Deeper);
        }

        writer.WriteEndObject();
    }

    private static void WriteProperties(Utf8JsonWriter writer, PSObject source, Level level)
    {
        writer.WriteStartObject();
        foreach (var property in source.Properties)
        {
            if (!property.IsGettable)
            {
                continue;
            }

            object? propertyValue;
            try
            {
                propertyValue = property.Value;
            }
            catch (GetValueException)
            {
                // ConvertTo-Json writes a property that throws on read as null, and so does this.
                propertyValue = null;
            }

            writer.WritePropertyName(property.Name);
            Write(writer, propertyValue, level.Deeper);
        }

        writer.WriteEndObject();
    }
}
