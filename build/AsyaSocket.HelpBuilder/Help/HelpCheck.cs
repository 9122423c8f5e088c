using System.Text;
using System.Text.RegularExpressions;

namespace AsyaSocket.HelpBuilder;

/// <summary>
/// Compares a cmdlet's markdown page with the cmdlet's metadata. Every method returns the problems it found as
/// sentences naming the cmdlet and the offender; an empty list means the page agrees with the code.
/// </summary>
public static partial class HelpCheck
{
    /// <summary>Every cmdlet has a page, and every page documents a cmdlet that exists.</summary>
    public static List<string> Pages(IReadOnlyList<CmdletInfo> cmdlets, string docsDirectory, string moduleName)
    {
        var problems = new List<string>();
        var pages = CommandHelp.CommandPages(docsDirectory, moduleName).ToList();
        var names = new List<string>();
        foreach (var path in pages)
        {
            var page = CommandHelp.Read(path);
            var file = Path.GetFileName(path);
            if (page is null)
            {
                problems.Add($"{file}: has no '# Verb-Noun' title, so it documents no cmdlet.");
                continue;
            }

            names.Add(page.Name);
            if (!cmdlets.Any(cmdlet => string.Equals(cmdlet.Name, page.Name, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{file}: documents {page.Name}, which is not a cmdlet of {moduleName} (cmdlets: {string.Join(", ", cmdlets.Select(cmdlet => cmdlet.Name))}).");
            }
        }

        foreach (var cmdlet in cmdlets.Where(cmdlet => !names.Contains(cmdlet.Name, StringComparer.OrdinalIgnoreCase)))
        {
            problems.Add($"{cmdlet.Name} is not documented: add {cmdlet.Name}.md (platyPS schema 2.0.0) to {docsDirectory}.");
        }

        return problems;
    }

    /// <summary>Front matter, title, file name and the ## sections platyPS expects, in order.</summary>
    public static List<string> Page(CmdletInfo cmdlet, CommandHelp page, string moduleName, string helpFileName)
    {
        var problems = new List<string>();
        var file = Path.GetFileName(page.Path);
        if (!string.Equals(file, cmdlet.Name + ".md", StringComparison.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: its page is '{file}', expected '{cmdlet.Name}.md'.");
        }

        if (!string.Equals(page.Name, cmdlet.Name, StringComparison.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: the page's # title is '{page.Name}'.");
        }

        Expect("external help file", helpFileName);
        Expect("Module Name", moduleName);
        Expect("schema", "2.0.0");
        // Get-Help -Online opens [Cmdlet(HelpUri)]; the MAML's "Online Version:" link is the fallback. Both must agree.
        if (!page.FrontMatter.TryGetValue("online version", out var online) || online.Length == 0)
        {
            problems.Add($"{cmdlet.Name}: the front matter has no 'online version:' address, so Get-Help -Online has nowhere to go.");
        }
        else if (!Uri.TryCreate(online, UriKind.Absolute, out var address) || address.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"{cmdlet.Name}: 'online version: {online}' is not an https address.");
        }
        else if (!string.Equals(cmdlet.HelpUri, online, StringComparison.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: [Cmdlet(HelpUri)] is '{cmdlet.HelpUri ?? "(none)"}' but the page's 'online version:' is '{online}'.");
        }

        var order = page.Sections.Where(section => CommandHelp.SectionOrder.Contains(section, StringComparer.Ordinal)).ToList();
        foreach (var missing in CommandHelp.SectionOrder.Except(page.Sections, StringComparer.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: the page has no '## {missing}' section.");
        }

        if (order.Count == CommandHelp.SectionOrder.Count && !order.SequenceEqual(CommandHelp.SectionOrder))
        {
            problems.Add($"{cmdlet.Name}: the ## sections are in the order {string.Join(", ", order)}; platyPS expects {string.Join(", ", CommandHelp.SectionOrder)}.");
        }

        foreach (var extra in page.Sections.Except(CommandHelp.SectionOrder, StringComparer.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: '## {extra}' is not a platyPS section.");
        }

        if (Text(page.Synopsis).Length == 0)
        {
            problems.Add($"{cmdlet.Name}: the SYNOPSIS is empty.");
        }

        if (Text(page.Description).Length == 0)
        {
            problems.Add($"{cmdlet.Name}: the DESCRIPTION is empty.");
        }

        return problems;

        void Expect(string key, string value)
        {
            if (!page.FrontMatter.TryGetValue(key, out var actual) || actual != value)
            {
                problems.Add($"{cmdlet.Name}: front matter '{key}:' is '{actual}', expected '{value}'.");
            }
        }
    }

    /// <summary>## SYNTAX names the cmdlet's parameter sets, marks the default, and each line matches the metadata.</summary>
    public static List<string> Syntax(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        var documented = page.Syntax.Select(syntax => syntax.SetName).ToList();
        foreach (var set in cmdlet.ParameterSetNames.Except(documented, StringComparer.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: parameter set '{set}' has no ### block in SYNTAX.");
        }

        foreach (var syntax in page.Syntax)
        {
            if (!cmdlet.ParameterSetNames.Contains(syntax.SetName, StringComparer.Ordinal))
            {
                problems.Add($"{cmdlet.Name}: SYNTAX documents parameter set '{syntax.SetName}', which the cmdlet does not have (sets: {string.Join(", ", cmdlet.ParameterSetNames)}).");
                continue;
            }

            var isDefault = syntax.SetName == cmdlet.EffectiveDefaultSet;
            if (syntax.IsDefault != isDefault)
            {
                problems.Add($"{cmdlet.Name}: SYNTAX set '{syntax.SetName}' {(isDefault ? "is the default and must say (Default)" : "is not the default but says (Default)")}.");
            }

            var expected = HelpFacts.SyntaxText(cmdlet, syntax.SetName);
            if (HelpFacts.Normalize(syntax.Text) != HelpFacts.Normalize(expected))
            {
                problems.Add($"{cmdlet.Name}: SYNTAX for set '{syntax.SetName}' reads\n  {HelpFacts.Normalize(syntax.Text)}\nbut the cmdlet's metadata gives\n  {HelpFacts.Normalize(expected)}");
            }
        }

        if (documented.Count == cmdlet.ParameterSetNames.Count && documented.ToHashSet().SetEquals(cmdlet.ParameterSetNames)
            && !documented.SequenceEqual(cmdlet.ParameterSetNames))
        {
            problems.Add($"{cmdlet.Name}: SYNTAX lists the sets as {string.Join(", ", documented)}; PowerShell's order is {string.Join(", ", cmdlet.ParameterSetNames)}.");
        }

        return problems;
    }

    /// <summary>Every parameter (with -WhatIf/-Confirm under ShouldProcess) is documented, and nothing else is.</summary>
    public static List<string> ParameterNames(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        foreach (var parameter in cmdlet.AllParameters.Where(parameter => page.Parameter(parameter.Name) is null))
        {
            problems.Add($"{cmdlet.Name}: parameter -{parameter.Name} is not documented (add a '### -{parameter.Name}' section with its yaml block to {Path.GetFileName(page.Path)}).");
        }

        foreach (var help in page.Parameters)
        {
            if (cmdlet.Parameter(help.Name) is not null)
            {
                continue;
            }

            problems.Add(CommonParameters.Always.ContainsKey(help.Name) || CommonParameters.Optional.ContainsKey(help.Name)
                ? $"{cmdlet.Name}: -{help.Name} is a common parameter: leave it to the CommonParameters paragraph instead of documenting it."
                : $"{cmdlet.Name}: documented parameter -{help.Name} does not exist in the cmdlet.");
        }

        foreach (var duplicate in page.Parameters.GroupBy(help => help.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            problems.Add($"{cmdlet.Name}: parameter -{duplicate.Key} is documented {duplicate.Count()} times.");
        }

        foreach (var help in page.Parameters.Where(help => Text(help.Description).Length == 0))
        {
            problems.Add($"{cmdlet.Name}: parameter -{help.Name} has no description.");
        }

        if (page.CommonParameters is null)
        {
            problems.Add($"{cmdlet.Name}: PARAMETERS has no '### CommonParameters' paragraph.");
        }
        else if (!page.CommonParameters.Contains("about_CommonParameters", StringComparison.Ordinal) || !page.CommonParameters.Contains("-ProgressAction", StringComparison.Ordinal))
        {
            problems.Add($"{cmdlet.Name}: the CommonParameters paragraph should be platyPS's, naming -ProgressAction and about_CommonParameters.");
        }

        return problems;
    }

    /// <summary>Each yaml block states the metadata's type, sets, aliases, required, position, pipeline input and wildcards.</summary>
    public static List<string> ParameterFacts(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        foreach (var help in page.Parameters)
        {
            var parameter = cmdlet.Parameter(help.Name);
            if (parameter is null)
            {
                continue;
            }

            var who = $"{cmdlet.Name} -{parameter.Name}";
            if (help.Yaml.Count == 0)
            {
                problems.Add($"{who}: no ```yaml block.");
                continue;
            }

            var actualSets = cmdlet.SetsOf(parameter);
            var covered = new List<string>();
            foreach (var yaml in help.Yaml)
            {
                foreach (var key in HelpFacts.YamlKeys.Where(key => yaml[key] is null))
                {
                    problems.Add($"{who}: the yaml block has no '{key}:' line.");
                }

                if (yaml["Type"] is { } type && type != parameter.TypeName && type != parameter.TypeFullName)
                {
                    problems.Add($"{who}: yaml says Type: {type}, the code says {parameter.TypeName}.");
                }

                var aliases = (yaml["Aliases"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (!aliases.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(parameter.Aliases))
                {
                    problems.Add($"{who}: yaml says Aliases: {string.Join(", ", aliases)}, the code says {string.Join(", ", parameter.Aliases)}.");
                }

                if (yaml["Accept wildcard characters"] is { } wildcards && !Bool(wildcards, parameter.SupportsWildcards))
                {
                    problems.Add($"{who}: yaml says Accept wildcard characters: {wildcards}, the code says {(parameter.SupportsWildcards ? "True" : "False")} ([SupportsWildcards]).");
                }

                if (parameter.IsSwitch && yaml["Default value"] is { } switchDefault && switchDefault != "False")
                {
                    problems.Add($"{who}: a switch's Default value is False, not '{switchDefault}'.");
                }

                if (yaml["Default value"] is { Length: 0 })
                {
                    problems.Add($"{who}: Default value is empty; write None when there is none.");
                }

                var sets = HelpFacts.ParseSets(cmdlet, yaml["Parameter Sets"]);
                foreach (var set in sets)
                {
                    if (!actualSets.Contains(set, StringComparer.Ordinal))
                    {
                        problems.Add($"{who}: yaml lists parameter set '{set}', but the parameter is only in {string.Join(", ", actualSets)}.");
                        continue;
                    }

                    if (covered.Contains(set, StringComparer.Ordinal))
                    {
                        problems.Add($"{who}: parameter set '{set}' appears in more than one yaml block.");
                    }

                    covered.Add(set);
                    var facts = parameter.In(set)!;
                    if (yaml["Required"] is { } required && !Bool(required, facts.Mandatory))
                    {
                        problems.Add($"{who}: in set '{set}' yaml says Required: {required}, the code says {(facts.Mandatory ? "True" : "False")}.");
                    }

                    if (yaml["Position"] is { } position && !string.Equals(position, HelpFacts.PositionText(facts.Position), StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add($"{who}: in set '{set}' yaml says Position: {position}, the code says {HelpFacts.PositionText(facts.Position)}.");
                    }

                    if (yaml["Accept pipeline input"] is { } pipeline)
                    {
                        var expected = HelpFacts.PipelineText(facts.ValueFromPipeline, facts.ValueFromPipelineByPropertyName);
                        if (HelpFacts.ParsePipeline(pipeline) != (facts.ValueFromPipeline, facts.ValueFromPipelineByPropertyName))
                        {
                            problems.Add($"{who}: in set '{set}' yaml says Accept pipeline input: {pipeline}, the code says {expected}.");
                        }
                    }
                }
            }

            foreach (var set in actualSets.Except(covered, StringComparer.Ordinal))
            {
                problems.Add($"{who}: the parameter is in set '{set}', which no yaml block lists (Parameter Sets).");
            }
        }

        return problems;
    }

    /// <summary>OUTPUTS names every [OutputType]; INPUTS names the type of every by-value pipeline parameter.</summary>
    public static List<string> InputsAndOutputs(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        foreach (var output in cmdlet.OutputTypeNames.Where(output => !page.Outputs.Any(type => SameType(type.TypeName, output))))
        {
            problems.Add($"{cmdlet.Name}: OUTPUTS does not name [OutputType] {output} (add '### {output}').");
        }

        foreach (var type in page.Outputs.Where(type => !cmdlet.OutputTypeNames.Any(output => SameType(type.TypeName, output))))
        {
            problems.Add($"{cmdlet.Name}: OUTPUTS names {type.TypeName}, which is not in the cmdlet's [OutputType].");
        }

        foreach (var parameter in cmdlet.Parameters.Where(parameter => parameter.Declarations.Any(declaration => declaration.ValueFromPipeline)))
        {
            var element = parameter.TypeFullName.EndsWith("[]", StringComparison.Ordinal) ? parameter.TypeFullName[..^2] : parameter.TypeFullName;
            if (!page.Inputs.Any(type => SameType(type.TypeName, parameter.TypeFullName) || SameType(type.TypeName, element)))
            {
                problems.Add($"{cmdlet.Name}: -{parameter.Name} takes pipeline input by value, but INPUTS does not name {element}.");
            }
        }

        return problems;
    }

    /// <summary>At least two examples, each with code that runs the cmdlet; one drives a Compose mesh, one is a Pester test.</summary>
    public static List<string> Examples(CmdletInfo cmdlet, CommandHelp page)
    {
        var problems = new List<string>();
        if (page.Examples.Count < 2)
        {
            problems.Add($"{cmdlet.Name}: {page.Examples.Count} example(s); at least two are expected.");
        }

        foreach (var example in page.Examples)
        {
            if (!example.Code.Contains(cmdlet.Name, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name}: '{example.Title}' has no code block that runs {cmdlet.Name}.");
            }

            if (Text(example.Remarks).Length == 0)
            {
                problems.Add($"{cmdlet.Name}: '{example.Title}' has no text after its code explaining it.");
            }
        }

        if (!page.Examples.Any(example => ComposePattern().IsMatch(example.Code)))
        {
            problems.Add($"{cmdlet.Name}: no example drives a Docker Compose mesh (docker compose ... with ASYA_SOCKET_MESH_DIR or -MeshPath).");
        }

        if (!page.Examples.Any(example => PesterPattern().IsMatch(example.Code)))
        {
            problems.Add($"{cmdlet.Name}: no example is a Pester test (Describe/It/Should).");
        }

        return problems;
    }

    /// <summary>Links to sibling .md pages point at files that exist.</summary>
    public static List<string> Links(string pagePath, IEnumerable<(string Text, string Target)> links)
    {
        var directory = Path.GetDirectoryName(pagePath)!;
        return links
            .Where(link => link.Target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !link.Target.Contains("://", StringComparison.Ordinal))
            .Where(link => !File.Exists(Path.Combine(directory, link.Target)))
            .Select(link => $"{Path.GetFileName(pagePath)}: link [{link.Text}]({link.Target}) points at a page that does not exist.")
            .ToList();
    }

    /// <summary>
    /// Every AsyaSocket command written in <paramref name="code"/> exists, and every -Parameter given to it is one of
    /// its parameters or a common parameter. Catches examples that invent cmdlets or parameters.
    /// </summary>
    public static List<string> CommandUses(string where, string code, IReadOnlyList<CmdletInfo> cmdlets, string nounPrefix)
    {
        var problems = new List<string>();
        var text = code.Replace("`\r\n", " ", StringComparison.Ordinal).Replace("`\n", " ", StringComparison.Ordinal);
        foreach (Match use in CommandPattern().Matches(text))
        {
            var name = use.Value;
            if (!use.Groups[2].Value.StartsWith(nounPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var cmdlet = cmdlets.FirstOrDefault(candidate => string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase));
            if (cmdlet is null)
            {
                problems.Add($"{where}: uses {name}, which is not a cmdlet of the module.");
                continue;
            }

            foreach (var parameterName in ParametersGiven(text, use.Index + use.Length))
            {
                var known = cmdlet.Parameter(parameterName) is not null
                    || CommonParameters.Always.ContainsKey(parameterName)
                    || (parameterName.Equals("ProgressAction", StringComparison.OrdinalIgnoreCase));
                if (!known)
                {
                    problems.Add($"{where}: {cmdlet.Name} has no parameter -{parameterName}.");
                }
            }
        }

        return problems;
    }

    /// <summary>A list of blocks as one string, for emptiness checks.</summary>
    public static string Text(IReadOnlyList<MarkdownBlock> blocks) =>
        string.Join("\n", blocks.SelectMany(block => block.Lines)).Trim();

    private static IEnumerable<string> ParametersGiven(string text, int start)
    {
        // The arguments of one command: up to a |, ; or line end outside brackets and quotes.
        var depth = 0;
        char? quote = null;
        var arguments = new StringBuilder();
        for (var index = start; index < text.Length; index++)
        {
            var character = text[index];
            if (quote is not null)
            {
                if (character == quote)
                {
                    quote = null;
                }

                continue;
            }

            if (character is '\'' or '"')
            {
                quote = character;
                arguments.Append(' ');
                continue;
            }

            if (character is '(' or '{' or '[')
            {
                depth++;
                continue;
            }

            if (character is ')' or '}' or ']')
            {
                if (--depth < 0)
                {
                    break;
                }

                continue;
            }

            if (depth == 0 && character is '|' or ';' or '\n')
            {
                break;
            }

            arguments.Append(depth == 0 ? character : ' ');
        }

        return ParameterToken().Matches(arguments.ToString()).Select(match => match.Groups[1].Value);
    }

    private static bool SameType(string documented, string actual)
    {
        var shortName = actual[(actual.LastIndexOf('.') + 1)..];
        return string.Equals(documented, actual, StringComparison.Ordinal) || string.Equals(documented, shortName, StringComparison.Ordinal);
    }

    private static bool Bool(string text, bool expected) =>
        bool.TryParse(text, out var value) && value == expected;

    [GeneratedRegex(@"\b([A-Z][a-z]+)-([A-Z][A-Za-z]+)\b")]
    private static partial Regex CommandPattern();

    [GeneratedRegex(@"(?:^|\s)-([A-Za-z][A-Za-z0-9]*)(?=[\s:]|$)")]
    private static partial Regex ParameterToken();

    [GeneratedRegex(@"docker compose|docker-compose", RegexOptions.IgnoreCase)]
    private static partial Regex ComposePattern();

    [GeneratedRegex(@"\bDescribe\b[\s\S]*\bIt\b[\s\S]*\bShould\b")]
    private static partial Regex PesterPattern();
}
