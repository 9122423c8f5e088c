using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AsyaSocket.HelpBuilder;

/// <summary>
/// Writes PowerShell's MAML help (<c>&lt;helpItems schema="maml" xmlns="http://msh"&gt;</c>, one command:command per
/// cmdlet) the way platyPS's New-ExternalHelp does: prose from the markdown, syntax and parameter facts from metadata.
/// </summary>
public static class MamlWriter
{
    /// <summary>The root namespace.</summary>
    public static readonly XNamespace Msh = "http://msh";

    /// <summary>maml:.</summary>
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

    /// <summary>command:.</summary>
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    /// <summary>dev:.</summary>
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

    /// <summary>The MAML document for <paramref name="cmdlets"/>; a cmdlet without a page still gets its syntax and parameters.</summary>
    public static XDocument Build(IEnumerable<CmdletInfo> cmdlets, IReadOnlyList<CommandHelp> pages)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"));
        foreach (var cmdlet in cmdlets)
        {
            var page = pages.FirstOrDefault(help => string.Equals(help.Name, cmdlet.Name, StringComparison.OrdinalIgnoreCase));
            root.Add(CommandElement(cmdlet, page));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>Serialises with two-space indentation, UTF-8 without BOM, LF line ends.</summary>
    public static string ToText(XDocument document)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            Encoding = new UTF8Encoding(false),
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static XElement CommandElement(CmdletInfo cmdlet, CommandHelp? page)
    {
        var described = page?.Parameters ?? Array.Empty<ParameterHelp>();
        var ordered = described
            .Select(help => cmdlet.Parameter(help.Name))
            .OfType<CmdletParameter>()
            .Concat(cmdlet.AllParameters)
            .Distinct()
            .ToList();

        return new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
            new XElement(
                Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(page?.Synopsis)),
            Description(page?.Description),
            new XElement(
                Command + "syntax",
                cmdlet.ParameterSetNames.Select(set => new XElement(
                    Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    cmdlet.DisplayOrder(set).Select(parameter => ParameterElement(
                        parameter, Facts(parameter, set), page, inSyntax: true))))),
            new XElement(
                Command + "parameters",
                ordered.Select(parameter => ParameterElement(
                    parameter, HelpFacts.Merged(cmdlet, parameter), page, inSyntax: false))),
            new XElement(Command + "inputTypes", Types(page?.Inputs, Command + "inputType")),
            new XElement(Command + "returnValues", Types(page?.Outputs, Command + "returnValue")),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(page?.Notes))),
            new XElement(Command + "examples", (page?.Examples ?? Array.Empty<ExampleHelp>()).Select(Example)),
            new XElement(Command + "relatedLinks", Links(page)));
    }

    private static ParameterFacts Facts(CmdletParameter parameter, string set)
    {
        var facts = parameter.In(set)!;
        return new ParameterFacts(new[] { set }, facts.Mandatory, facts.Position, facts.ValueFromPipeline, facts.ValueFromPipelineByPropertyName);
    }

    private static XElement ParameterElement(CmdletParameter parameter, ParameterFacts facts, CommandHelp? page, bool inSyntax)
    {
        var help = page?.Parameter(parameter.Name);
        var defaultValue = help?.Yaml.Select(yaml => yaml["Default value"]).FirstOrDefault(value => !string.IsNullOrEmpty(value))
            ?? (parameter.IsSwitch ? "False" : "None");
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", facts.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", parameter.SupportsWildcards ? "true" : "false"),
            new XAttribute("pipelineInput", HelpFacts.PipelineText(facts.ByValue, facts.ByPropertyName)),
            new XAttribute("position", facts.Position is { } position ? position.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(help?.Description ?? FallbackDescription(parameter)));

        // In syntax items a switch has no value; in the parameters section platyPS still names its type.
        if (!parameter.IsSwitch || !inSyntax)
        {
            element.Add(new XElement(
                Command + "parameterValue",
                new XAttribute("required", parameter.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"),
                parameter.TypeName));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", defaultValue));
        return element;
    }

    private static IReadOnlyList<MarkdownBlock> FallbackDescription(CmdletParameter parameter)
    {
        var text = parameter.Name switch
        {
            "WhatIf" when parameter.IsRiskMitigation => "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
            "Confirm" when parameter.IsRiskMitigation => "Prompts you for confirmation before running the cmdlet.",
            _ => parameter.Declarations.Select(declaration => declaration.HelpMessage).FirstOrDefault(message => message is not null),
        };
        return text is null ? Array.Empty<MarkdownBlock>() : new[] { new MarkdownParagraph(new[] { text }) };
    }

    private static XElement Description(IReadOnlyList<MarkdownBlock>? blocks) =>
        new(Maml + "description", Paragraphs(blocks));

    private static IEnumerable<XElement> Paragraphs(IReadOnlyList<MarkdownBlock>? blocks)
    {
        var paragraphs = (blocks ?? Array.Empty<MarkdownBlock>())
            .Select(block => block is MarkdownCode code ? string.Join("\n", code.Lines) : Markdown.PlainText(block.Lines))
            .Where(text => text.Length > 0)
            .Select(text => new XElement(Maml + "para", text))
            .ToList();
        return paragraphs.Count > 0 ? paragraphs : new[] { new XElement(Maml + "para") };
    }

    private static IEnumerable<XElement> Types(IReadOnlyList<TypeHelp>? types, XName element)
    {
        var list = types is { Count: > 0 } ? types : new[] { new TypeHelp("None", Array.Empty<MarkdownBlock>()) };
        return list.Select(type => new XElement(
            element,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Description)));
    }

    private static XElement Example(ExampleHelp example)
    {
        var title = example.Title;
        var element = new XElement(
            Command + "example",
            new XElement(Maml + "title", $"{new string('-', 10)} {title} {new string('-', 10)}"));
        if (example.Introduction.Count > 0)
        {
            element.Add(new XElement(Maml + "introduction", Paragraphs(example.Introduction)));
        }

        // A trailing empty paragraph leaves a blank line before the next example's title.
        element.Add(
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(example.Remarks), new XElement(Maml + "para")));
        return element;
    }

    private static IEnumerable<XElement> Links(CommandHelp? page)
    {
        if (page is null)
        {
            yield break;
        }

        if (page.FrontMatter.TryGetValue("online version", out var online) && online.Length > 0)
        {
            yield return Link("Online Version:", online);
        }

        foreach (var link in page.Links)
        {
            yield return Link(link.Text, link.Uri.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? link.Uri : string.Empty);
        }
    }

    private static XElement Link(string text, string uri) =>
        new(Maml + "navigationLink", new XElement(Maml + "linkText", text), new XElement(Maml + "uri", uri));
}
