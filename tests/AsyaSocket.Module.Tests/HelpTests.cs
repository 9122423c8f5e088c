using System.Management.Automation;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Get-Help -Full as a user reads it, from the laid-out MAML and about topic: a real synopsis and description,
/// every parameter the engine knows described (and no other), one syntax per parameter set that says what the engine
/// binds (mandatory, position), and examples.
/// </summary>
public sealed class HelpTests(ModuleSession session) : IClassFixture<ModuleSession>
{
    [Fact]
    public void Get_Help_Full_describes_every_cmdlet_from_the_module_help()
    {
        var problems = new List<string>();
        var cmdlets = session.Run("Get-Command -Module AsyaSocket").Select(item => (CmdletInfo)item.BaseObject).ToList();
        Assert.NotEmpty(cmdlets);
        foreach (var cmdlet in cmdlets)
        {
            var help = session.Run("Get-Help -Name $args[0] -Full", cmdlet.Name).Single();
            var name = cmdlet.Name;

            // Without MAML, PowerShell makes up help whose synopsis is the syntax and which has no description.
            var synopsis = Text(help, "Synopsis");
            if (synopsis.Length == 0 || synopsis.StartsWith(name + " ", StringComparison.Ordinal) || synopsis.Contains('[', StringComparison.Ordinal))
            {
                problems.Add($"{name}: the synopsis is missing or made up from the syntax: '{synopsis}'.");
            }

            if (Text(help, "description").Length == 0)
            {
                problems.Add($"{name}: no description.");
            }

            // -WhatIf and -Confirm are documented where the cmdlet has them; the always-present common parameters are not.
            var ownParameters = cmdlet.Parameters.Keys.Where(parameter => !Cmdlet.CommonParameters.Contains(parameter)).Order(StringComparer.Ordinal).ToList();
            var documented = Items(help, "parameters", "parameter").ToList();
            var documentedNames = documented.Select(parameter => Text(parameter, "name")).Order(StringComparer.Ordinal).ToList();
            problems.AddRange(ownParameters.Except(documentedNames).Select(parameter => $"{name}: -{parameter} is not in Get-Help's parameters."));
            problems.AddRange(documentedNames.Except(ownParameters).Select(parameter => $"{name}: Get-Help describes -{parameter}, which the cmdlet does not have."));
            problems.AddRange(documented.Where(parameter => Text(parameter, "description").Length == 0)
                .Select(parameter => $"{name}: -{Text(parameter, "name")} has no description."));

            var syntaxItems = Items(help, "syntax", "syntaxItem").ToList();
            if (syntaxItems.Count != cmdlet.ParameterSets.Count)
            {
                problems.Add($"{name}: Get-Help shows {syntaxItems.Count} syntax item(s); the cmdlet has {cmdlet.ParameterSets.Count} parameter set(s).");
            }

            problems.AddRange(syntaxItems.SelectMany(item => SyntaxProblems(cmdlet, item)));

            var examples = Items(help, "examples", "example").ToList();
            if (examples.Count < 2 || examples.Any(example => Text(example, "code").Length == 0))
            {
                problems.Add($"{name}: {examples.Count} example(s), or one without code.");
            }
        }

        Problems.AssertNone(problems, "Get-Help -Full");
    }

    [Fact]
    public void The_about_topic_is_found_by_name()
    {
        var topic = session.Run("Get-Help -Name about_AsyaSocket | Out-String").Single().ToString();
        Assert.Contains("about_AsyaSocket", topic, StringComparison.Ordinal);
        Assert.Contains("SHORT DESCRIPTION", topic, StringComparison.Ordinal);
        foreach (var cmdlet in new[] { "Send-AsyaMessage", "Receive-AsyaMessage", "Start-AsyaListener" })
        {
            Assert.Contains(cmdlet, topic, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A syntax item must be one of the engine's parameter sets (the same parameters) and say of each parameter what
    /// the engine binds: mandatory or not, and its position.
    /// </summary>
    private static IEnumerable<string> SyntaxProblems(CmdletInfo cmdlet, PSObject item)
    {
        var shown = Items(item, "parameter").Where(parameter => !Cmdlet.CommonParameters.Contains(Text(parameter, "name"))).ToList();
        var names = shown.Select(parameter => Text(parameter, "name")).Order(StringComparer.Ordinal).ToList();
        var set = cmdlet.ParameterSets.FirstOrDefault(candidate =>
            candidate.Parameters.Select(parameter => parameter.Name).Where(parameter => !Cmdlet.CommonParameters.Contains(parameter)).Order(StringComparer.Ordinal).SequenceEqual(names));
        if (set is null)
        {
            yield return $"{cmdlet.Name}: the syntax item with {string.Join(" ", names)} is none of the engine's parameter sets.";
            yield break;
        }

        foreach (var parameter in shown)
        {
            var bound = set.Parameters.Single(candidate => candidate.Name == Text(parameter, "name"));
            var required = Text(parameter, "required").Equals("true", StringComparison.OrdinalIgnoreCase);
            var position = bound.Position < 0 ? "named" : bound.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (required != bound.IsMandatory || !Text(parameter, "position").Equals(position, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"{cmdlet.Name}, set '{set.Name}', -{bound.Name}: help says required={Text(parameter, "required")} position={Text(parameter, "position")}; the engine binds mandatory={bound.IsMandatory} position={position}.";
            }
        }
    }

    /// <summary>A help property as text: strings as they are, MAML paragraphs (objects with Text) joined.</summary>
    private static string Text(PSObject item, string property)
    {
        var value = item.Properties[property]?.Value;
        return value switch
        {
            null => string.Empty,
            string text => text.Trim(),
            PSObject wrapped when wrapped.BaseObject is string text => text.Trim(),
            _ => string.Join("\n", Paragraphs(value)).Trim(),
        };
    }

    private static IEnumerable<string> Paragraphs(object value)
    {
        foreach (var entry in LanguagePrimitives.GetEnumerable(value)?.Cast<object>() ?? [value])
        {
            var paragraph = PSObject.AsPSObject(entry);
            yield return paragraph.Properties["Text"]?.Value?.ToString() ?? paragraph.ToString();
        }
    }

    /// <summary>help.&lt;container&gt;.&lt;item&gt; (parameters.parameter, examples.example) as a list, however many there are.</summary>
    private static IEnumerable<PSObject> Items(PSObject help, string container, string item) =>
        help.Properties[container]?.Value is { } found ? Items(PSObject.AsPSObject(found), item) : [];

    /// <summary>help.&lt;item&gt; as a list, however many there are.</summary>
    private static IEnumerable<PSObject> Items(PSObject parent, string item)
    {
        var inner = parent.Properties[item]?.Value;
        return inner is null ? [] : (LanguagePrimitives.GetEnumerable(inner)?.Cast<object>() ?? [inner]).Select(PSObject.AsPSObject);
    }
}
