using System.Text.RegularExpressions;

namespace AsyaSocket.HelpBuilder;

/// <summary>One ### parameter-set block of ## SYNTAX.</summary>
/// <param name="SetName">The set name (without " (Default)").</param>
/// <param name="IsDefault">The heading says (Default).</param>
/// <param name="Text">The syntax line(s) from the code block.</param>
public sealed record SyntaxHelp(string SetName, bool IsDefault, string Text);

/// <summary>One ### example.</summary>
/// <param name="Title">The heading, for example "Example 1: Send a payload".</param>
/// <param name="Introduction">Paragraphs before the first code block.</param>
/// <param name="Code">The code blocks, joined by a blank line.</param>
/// <param name="Remarks">Paragraphs after the first code block.</param>
public sealed record ExampleHelp(string Title, IReadOnlyList<MarkdownBlock> Introduction, string Code, IReadOnlyList<MarkdownBlock> Remarks);

/// <summary>One ```yaml block under a ### -Parameter heading.</summary>
/// <param name="Fields">Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters.</param>
public sealed record ParameterYaml(IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>A field's value, or null when the block lacks it.</summary>
    public string? this[string key] => Fields.TryGetValue(key, out var value) ? value : null;
}

/// <summary>One ### -Name section of ## PARAMETERS.</summary>
/// <param name="Name">The parameter name without the dash.</param>
/// <param name="Description">The paragraphs before the yaml block(s).</param>
/// <param name="Yaml">The yaml blocks: one, or one per group of sets where the facts differ.</param>
public sealed record ParameterHelp(string Name, IReadOnlyList<MarkdownBlock> Description, IReadOnlyList<ParameterYaml> Yaml);

/// <summary>One ### type section of ## INPUTS or ## OUTPUTS.</summary>
/// <param name="TypeName">The heading: a type name, or None.</param>
/// <param name="Description">The text under it.</param>
public sealed record TypeHelp(string TypeName, IReadOnlyList<MarkdownBlock> Description);

/// <summary>A link of ## RELATED LINKS.</summary>
/// <param name="Text">The link text.</param>
/// <param name="Uri">The target: a web address, or a relative .md file (empty in MAML).</param>
public sealed record LinkHelp(string Text, string Uri);

/// <summary>A cmdlet's platyPS (schema 2.0.0) markdown, parsed.</summary>
public sealed partial class CommandHelp
{
    /// <summary>The ## sections a platyPS cmdlet page has, in order.</summary>
    public static readonly IReadOnlyList<string> SectionOrder = new[]
    {
        "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
    };

    private CommandHelp(string path, MarkdownDocument document, MarkdownSection top)
    {
        Path = path;
        FrontMatter = document.FrontMatter ?? new Dictionary<string, string>();
        Name = top.Heading;
        Sections = top.Children.Select(child => child.Heading).ToList();
        Synopsis = top.Child("SYNOPSIS")?.Blocks ?? Array.Empty<MarkdownBlock>();
        Description = top.Child("DESCRIPTION")?.Blocks ?? Array.Empty<MarkdownBlock>();
        Notes = top.Child("NOTES")?.Blocks ?? Array.Empty<MarkdownBlock>();
        Syntax = (top.Child("SYNTAX")?.Children ?? new()).Select(ReadSyntax).ToList();
        Examples = (top.Child("EXAMPLES")?.Children ?? new()).Select(ReadExample).ToList();
        var parameters = top.Child("PARAMETERS")?.Children ?? new();
        Parameters = parameters.Where(section => section.Heading.StartsWith('-')).Select(ReadParameter).ToList();
        CommonParameters = parameters.FirstOrDefault(section => section.Heading == "CommonParameters")?.Text;
        Inputs = (top.Child("INPUTS")?.Children ?? new()).Select(section => new TypeHelp(section.Heading, section.Blocks)).ToList();
        Outputs = (top.Child("OUTPUTS")?.Children ?? new()).Select(section => new TypeHelp(section.Heading, section.Blocks)).ToList();
        Links = (top.Child("RELATED LINKS")?.Body ?? new())
            .SelectMany(Markdown.LinksIn)
            .Select(link => new LinkHelp(link.Text, link.Target))
            .ToList();
    }

    /// <summary>The file it came from.</summary>
    public string Path { get; }

    /// <summary>external help file, Module Name, online version, schema.</summary>
    public IReadOnlyDictionary<string, string> FrontMatter { get; }

    /// <summary>The # heading: the cmdlet name.</summary>
    public string Name { get; }

    /// <summary>The ## headings, in file order.</summary>
    public IReadOnlyList<string> Sections { get; }

    /// <summary>## SYNOPSIS.</summary>
    public IReadOnlyList<MarkdownBlock> Synopsis { get; }

    /// <summary>## SYNTAX blocks.</summary>
    public IReadOnlyList<SyntaxHelp> Syntax { get; }

    /// <summary>## DESCRIPTION.</summary>
    public IReadOnlyList<MarkdownBlock> Description { get; }

    /// <summary>## EXAMPLES.</summary>
    public IReadOnlyList<ExampleHelp> Examples { get; }

    /// <summary>## PARAMETERS, without CommonParameters.</summary>
    public IReadOnlyList<ParameterHelp> Parameters { get; }

    /// <summary>The text under ### CommonParameters; null when that section is missing.</summary>
    public string? CommonParameters { get; }

    /// <summary>## INPUTS.</summary>
    public IReadOnlyList<TypeHelp> Inputs { get; }

    /// <summary>## OUTPUTS.</summary>
    public IReadOnlyList<TypeHelp> Outputs { get; }

    /// <summary>## NOTES.</summary>
    public IReadOnlyList<MarkdownBlock> Notes { get; }

    /// <summary>## RELATED LINKS.</summary>
    public IReadOnlyList<LinkHelp> Links { get; }

    /// <summary>The documented parameter, or null.</summary>
    public ParameterHelp? Parameter(string name) =>
        Parameters.FirstOrDefault(parameter => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a cmdlet page; null when the file has no # heading (then it is not a cmdlet page).</summary>
    public static CommandHelp? Read(string path)
    {
        var document = Markdown.Parse(File.ReadAllText(path));
        var top = document.Root.Children.FirstOrDefault(section => section.Level == 1);
        return top is null ? null : new CommandHelp(path, document, top);
    }

    /// <summary>Every cmdlet page in <paramref name="directory"/>: all *.md but the module page and about_ topics.</summary>
    public static IReadOnlyList<CommandHelp> ReadAll(string directory, string moduleName) =>
        CommandPages(directory, moduleName)
            .Select(Read)
            .OfType<CommandHelp>()
            .ToList();

    /// <summary>The *.md files of <paramref name="directory"/> that should be cmdlet pages.</summary>
    public static IEnumerable<string> CommandPages(string directory, string moduleName) =>
        Directory.GetFiles(directory, "*.md")
            .Where(path => !System.IO.Path.GetFileName(path).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            .Where(path => !string.Equals(System.IO.Path.GetFileNameWithoutExtension(path), moduleName, StringComparison.OrdinalIgnoreCase))
            .OrderBy(path => path, StringComparer.Ordinal);

    private static SyntaxHelp ReadSyntax(MarkdownSection section)
    {
        var match = DefaultSuffix().Match(section.Heading);
        var setName = match.Success ? section.Heading[..match.Index].Trim() : section.Heading.Trim();
        var code = section.Blocks.OfType<MarkdownCode>().FirstOrDefault();
        return new SyntaxHelp(setName, match.Success, code is null ? string.Empty : string.Join("\n", code.Lines));
    }

    private static ExampleHelp ReadExample(MarkdownSection section)
    {
        var blocks = section.Blocks;
        var firstCode = blocks.ToList().FindIndex(block => block is MarkdownCode);
        if (firstCode < 0)
        {
            return new ExampleHelp(section.Heading, Array.Empty<MarkdownBlock>(), string.Empty, blocks);
        }

        var code = string.Join("\n\n", blocks.OfType<MarkdownCode>().Select(block => string.Join("\n", block.Lines)));
        return new ExampleHelp(
            section.Heading,
            blocks.Take(firstCode).ToList(),
            code,
            blocks.Skip(firstCode + 1).Where(block => block is MarkdownParagraph).ToList());
    }

    private static ParameterHelp ReadParameter(MarkdownSection section)
    {
        var blocks = section.Blocks;
        var yaml = blocks.OfType<MarkdownCode>()
            .Where(block => block.Language.Equals("yaml", StringComparison.OrdinalIgnoreCase))
            .Select(block => new ParameterYaml(ReadYaml(block.Lines)))
            .ToList();
        var description = blocks.TakeWhile(block => block is not MarkdownCode { Language: "yaml" }).ToList();
        return new ParameterHelp(section.Heading.TrimStart('-').Trim(), description, yaml);
    }

    private static Dictionary<string, string> ReadYaml(IEnumerable<string> lines)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return fields;
    }

    [GeneratedRegex(@"\s*\(Default\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultSuffix();
}

/// <summary>An about_ topic in markdown: # about_Name, then ## sections (SHORT DESCRIPTION, LONG DESCRIPTION, ...).</summary>
public sealed class AboutHelp
{
    private AboutHelp(string path, MarkdownSection top)
    {
        Path = path;
        Name = top.Heading;
        Top = top;
    }

    /// <summary>The file it came from.</summary>
    public string Path { get; }

    /// <summary>The topic name: about_Something.</summary>
    public string Name { get; }

    /// <summary>The # section with its ## sections.</summary>
    public MarkdownSection Top { get; }

    /// <summary>Reads an about_ topic; null when it has no # heading.</summary>
    public static AboutHelp? Read(string path)
    {
        var top = Markdown.Parse(File.ReadAllText(path)).Root.Children.FirstOrDefault(section => section.Level == 1);
        return top is null ? null : new AboutHelp(path, top);
    }

    /// <summary>Every about_*.md in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<AboutHelp> ReadAll(string directory) =>
        Directory.GetFiles(directory, "about_*.md")
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(Read)
            .OfType<AboutHelp>()
            .ToList();
}
