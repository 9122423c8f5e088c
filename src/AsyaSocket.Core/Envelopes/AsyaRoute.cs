using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyaSocket.Core.Envelopes;

/// <summary>An envelope's route: the actors it went through, the one it is for now, and the ones after.</summary>
public sealed class AsyaRoute
{
    private List<string> _prev = new();
    private List<string> _next = new();
    private string _curr = string.Empty;

    /// <summary>Actors already passed (a JSON null reads as empty).</summary>
    [JsonPropertyName("prev")]
    public List<string> Prev { get => _prev; set => _prev = value ?? new(); }

    /// <summary>The actor this envelope is for; empty when the route is done.</summary>
    [JsonPropertyName("curr")]
    public string Curr { get => _curr; set => _curr = value ?? string.Empty; }

    /// <summary>Actors still to come (a JSON null reads as empty).</summary>
    [JsonPropertyName("next")]
    public List<string> Next { get => _next; set => _next = value ?? new(); }

    /// <summary>Fields this model does not know; kept so a round trip changes nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>True when no actor is left: the envelope belongs at the sink.</summary>
    [JsonIgnore]
    public bool IsDone => Curr.Length == 0;

    /// <summary>A route starting at the first of <paramref name="actors"/>.</summary>
    public static AsyaRoute Through(IEnumerable<string> actors)
    {
        ArgumentNullException.ThrowIfNull(actors);
        var list = actors.ToList();
        Check(list, nameof(actors));
        return new AsyaRoute { Curr = list[0], Next = list.Skip(1).ToList() };
    }

    /// <summary>Throws unless <paramref name="actors"/> can start a route: at least one actor, none blank.</summary>
    internal static void Check(IReadOnlyList<string> actors, string parameterName)
    {
        if (actors.Count == 0)
        {
            throw new ArgumentException("A route needs at least one actor.", parameterName);
        }

        foreach (var actor in actors)
        {
            if (string.IsNullOrWhiteSpace(actor))
            {
                throw new ArgumentException("Route actor names cannot be empty.", parameterName);
            }
        }
    }

    /// <summary>The sidecar's step after an actor ran: <c>prev += curr; curr = next[0] or ""; next = next[1:]</c>.</summary>
    public void Shift()
    {
        Prev.Add(Curr);
        if (Next.Count > 0)
        {
            Curr = Next[0];
            Next.RemoveAt(0);
        }
        else
        {
            Curr = string.Empty;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(" > ", Prev.Append(IsDone ? "(done)" : $"[{Curr}]").Concat(Next));
}
