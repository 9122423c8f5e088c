using System.Globalization;
using System.Text;

namespace AsyaSocket.HelpBuilder;

/// <summary>The facts one yaml block states, for the sets it lists.</summary>
/// <param name="Sets">The parameter sets, in the cmdlet's order.</param>
/// <param name="Required">Mandatory in these sets.</param>
/// <param name="Position">The position, or null for Named.</param>
/// <param name="ByValue">Pipeline input by value.</param>
/// <param name="ByPropertyName">Pipeline input by property name.</param>
public sealed record ParameterFacts(IReadOnlyList<string> Sets, bool Required, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>How platyPS writes parameter facts, derived from metadata: syntax lines, yaml values, MAML attributes.</summary>
public static class HelpFacts
{
    /// <summary>platyPS's wrap width for syntax lines.</summary>
    public const int SyntaxWidth = 110;

    /// <summary>The yaml keys of a parameter block, in platyPS order.</summary>
    public static readonly IReadOnlyList<string> YamlKeys = new[]
    {
        "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
    };

    /// <summary>The syntax of one set, platyPS style: <c>Verb-Noun [-A] &lt;T&gt; [-B &lt;T&gt;] [&lt;CommonParameters&gt;]</c>, wrapped.</summary>
    public static string SyntaxText(CmdletInfo cmdlet, string setName, int width = SyntaxWidth)
    {
        var parts = cmdlet.DisplayOrder(setName).Select(parameter => SyntaxPart(parameter, parameter.In(setName)!))
            .Append("[<CommonParameters>]");
        var text = new StringBuilder(cmdlet.Name);
        var lineLength = text.Length;
        foreach (var part in parts)
        {
            if (lineLength + 1 + part.Length > width)
            {
                text.Append('\n');
                lineLength = 0;
            }

            text.Append(' ').Append(part);
            lineLength += 1 + part.Length;
        }

        return text.ToString();
    }

    /// <summary>One parameter in a syntax line.</summary>
    public static string SyntaxPart(CmdletParameter parameter, ParameterDeclaration facts)
    {
        if (parameter.IsSwitch)
        {
            return facts.Mandatory ? $"-{parameter.Name}" : $"[-{parameter.Name}]";
        }

        var name = facts.Position is null ? $"-{parameter.Name}" : $"[-{parameter.Name}]";
        var value = $"{name} <{parameter.TypeName}>";
        return facts.Mandatory ? value : $"[{value}]";
    }

    /// <summary>Whitespace-insensitive form of a syntax text, for comparing.</summary>
    public static string Normalize(string text) =>
        string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The parameter's sets grouped by identical facts: one yaml block per group, as platyPS writes them.</summary>
    public static IReadOnlyList<ParameterFacts> Groups(CmdletInfo cmdlet, CmdletParameter parameter)
    {
        var groups = new List<ParameterFacts>();
        foreach (var set in cmdlet.SetsOf(parameter))
        {
            var facts = parameter.In(set)!;
            var index = groups.FindIndex(group =>
                group.Required == facts.Mandatory && group.Position == facts.Position &&
                group.ByValue == facts.ValueFromPipeline && group.ByPropertyName == facts.ValueFromPipelineByPropertyName);
            if (index < 0)
            {
                groups.Add(new ParameterFacts(new[] { set }, facts.Mandatory, facts.Position, facts.ValueFromPipeline, facts.ValueFromPipelineByPropertyName));
            }
            else
            {
                groups[index] = groups[index] with { Sets = groups[index].Sets.Append(set).ToList() };
            }
        }

        return groups;
    }

    /// <summary>The facts PowerShell's help shows for a parameter across its sets (one MAML parameters entry).</summary>
    public static ParameterFacts Merged(CmdletInfo cmdlet, CmdletParameter parameter)
    {
        var sets = cmdlet.SetsOf(parameter);
        var facts = sets.Select(set => parameter.In(set)!).ToList();
        return new ParameterFacts(
            sets,
            facts.All(fact => fact.Mandatory),
            facts.Select(fact => fact.Position).FirstOrDefault(position => position is not null),
            facts.Any(fact => fact.ValueFromPipeline),
            facts.Any(fact => fact.ValueFromPipelineByPropertyName));
    }

    /// <summary>"(All)" when the sets are all of the cmdlet's, else the names joined by ", ".</summary>
    public static string SetsText(CmdletInfo cmdlet, IReadOnlyList<string> sets) =>
        sets.Count == cmdlet.ParameterSetNames.Count ? "(All)" : string.Join(", ", sets);

    /// <summary>The sets a yaml "Parameter Sets" value names; "(All)" is all of the cmdlet's.</summary>
    public static IReadOnlyList<string> ParseSets(CmdletInfo cmdlet, string? text) =>
        string.Equals(text?.Trim(), "(All)", StringComparison.OrdinalIgnoreCase)
            ? cmdlet.ParameterSetNames
            : (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>"Named" or the position number.</summary>
    public static string PositionText(int? position) =>
        position is { } value ? value.ToString(CultureInfo.InvariantCulture) : "Named";

    /// <summary>False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue).</summary>
    public static string PipelineText(bool byValue, bool byPropertyName) => (byValue, byPropertyName) switch
    {
        (false, false) => "False",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "True (ByPropertyName, ByValue)",
    };

    /// <summary>Reads an "Accept pipeline input" value; null when it is not one of the forms above (either order).</summary>
    public static (bool ByValue, bool ByPropertyName)? ParsePipeline(string? text)
    {
        var value = (text ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        return value switch
        {
            "FALSE" => (false, false),
            "TRUE(BYVALUE)" => (true, false),
            "TRUE(BYPROPERTYNAME)" => (false, true),
            "TRUE(BYPROPERTYNAME,BYVALUE)" or "TRUE(BYVALUE,BYPROPERTYNAME)" => (true, true),
            _ => null,
        };
    }

    /// <summary>The yaml block platyPS would write for a group (Default value: False for switches, else None).</summary>
    public static string YamlBlock(CmdletInfo cmdlet, CmdletParameter parameter, ParameterFacts group, string? defaultValue = null)
    {
        var lines = new[]
        {
            $"Type: {parameter.TypeName}",
            $"Parameter Sets: {SetsText(cmdlet, group.Sets)}",
            $"Aliases: {string.Join(", ", parameter.Aliases)}".TrimEnd(),
            string.Empty,
            $"Required: {(group.Required ? "True" : "False")}",
            $"Position: {PositionText(group.Position)}",
            $"Default value: {defaultValue ?? (parameter.IsSwitch ? "False" : "None")}",
            $"Accept pipeline input: {PipelineText(group.ByValue, group.ByPropertyName)}",
            $"Accept wildcard characters: {(parameter.SupportsWildcards ? "True" : "False")}",
        };
        return string.Join("\n", lines);
    }

    /// <summary>The SYNTAX and PARAMETERS sections platyPS would scaffold for a cmdlet (descriptions left to the author).</summary>
    public static string Scaffold(CmdletInfo cmdlet)
    {
        var text = new StringBuilder();
        text.Append("## SYNTAX\n");
        foreach (var set in cmdlet.ParameterSetNames)
        {
            var heading = set == cmdlet.EffectiveDefaultSet ? $"{set} (Default)" : set;
            text.Append($"\n### {heading}\n```\n{SyntaxText(cmdlet, set)}\n```\n");
        }

        text.Append("\n## PARAMETERS\n");
        foreach (var parameter in cmdlet.AllParameters.OrderBy(parameter => parameter.IsRiskMitigation).ThenBy(parameter => parameter.Name, StringComparer.OrdinalIgnoreCase))
        {
            text.Append($"\n### -{parameter.Name}\n{{{{ Fill {parameter.Name} Description }}}}\n");
            foreach (var group in Groups(cmdlet, parameter))
            {
                text.Append($"\n```yaml\n{YamlBlock(cmdlet, parameter, group)}\n```\n");
            }
        }

        text.Append($"\n### CommonParameters\n{CommonParameters.Paragraph}\n");
        return text.ToString();
    }
}
