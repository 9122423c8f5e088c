using System.Xml.Linq;
using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The laid-out en-US/AsyaSocket.dll-Help.xml is the MAML PowerShell reads: one command per cmdlet, syntax and
/// parameters that match the metadata (ProgressAction left to the common parameters), and up to date with the docs.
/// </summary>
public sealed class MamlTests
{
    private static readonly XNamespace Msh = MamlWriter.Msh;
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Command = MamlWriter.Command;

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    private static string HelpPath =>
        Path.Combine(ModuleUnderTest.Instance.ModuleDirectory, "en-US", ModuleUnderTest.ModuleName + ".dll-Help.xml");

    [Fact]
    public void Help_file_is_MAML()
    {
        var root = Load().Root!;
        Assert.True(root.Name == Msh + "helpItems", $"{HelpPath}: the root is {root.Name}, expected <helpItems xmlns=\"http://msh\">.");
        Assert.Equal("maml", (string?)root.Attribute("schema"));
        var first = root.Element(Command + "command");
        Assert.True(first is not null, $"{HelpPath} has no command:command.");
        foreach (var prefix in new[] { "maml", "command", "dev" })
        {
            Assert.True(first!.Attribute(XNamespace.Xmlns + prefix) is not null, $"{HelpPath}: command:command does not declare xmlns:{prefix}.");
        }
    }

    [Fact]
    public void Help_file_has_one_command_per_cmdlet()
    {
        var names = Load().Root!.Elements(Command + "command")
            .Select(command => command.Element(Command + "details")?.Element(Command + "name")?.Value ?? "(no name)")
            .ToList();
        var cmdlets = ModuleUnderTest.Instance.Cmdlets.Select(cmdlet => cmdlet.Name).ToList();
        var problems = cmdlets.Except(names).Select(name => $"{name} has no command:command in {HelpPath}.")
            .Concat(names.Except(cmdlets).Select(name => $"{HelpPath} has a command:command for {name}, which is not a cmdlet."))
            .Concat(names.GroupBy(name => name).Where(group => group.Count() > 1).Select(group => $"{group.Key} appears {group.Count()} times."));
        ModuleUnderTest.AssertNone(problems, "MAML commands vs cmdlets");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Command_syntax_and_parameters_match_the_metadata(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var command = CommandOf(name);
        var problems = new List<string>();
        var details = command.Element(Command + "details")!;
        if (details.Element(Command + "verb")?.Value != cmdlet.Verb || details.Element(Command + "noun")?.Value != cmdlet.Noun)
        {
            problems.Add($"{name}: details verb/noun are not {cmdlet.Verb}/{cmdlet.Noun}.");
        }

        var items = command.Element(Command + "syntax")?.Elements(Command + "syntaxItem").ToList() ?? new();
        if (items.Count != cmdlet.ParameterSetNames.Count)
        {
            problems.Add($"{name}: {items.Count} syntax item(s), but the cmdlet has {cmdlet.ParameterSetNames.Count} parameter set(s).");
        }

        foreach (var (item, set) in items.Zip(cmdlet.ParameterSetNames))
        {
            var expected = cmdlet.DisplayOrder(set);
            var actual = item.Elements(Command + "parameter").ToList();
            var actualNames = actual.Select(parameter => parameter.Element(Maml + "name")?.Value).ToList();
            if (!actualNames.SequenceEqual(expected.Select(parameter => parameter.Name)))
            {
                problems.Add($"{name}, set '{set}': the syntax item lists {string.Join(" ", actualNames)}; expected {string.Join(" ", expected.Select(parameter => parameter.Name))}.");
                continue;
            }

            foreach (var (element, parameter) in actual.Zip(expected))
            {
                var facts = parameter.In(set)!;
                Expect(element, "required", facts.Mandatory ? "true" : "false", $"{name}, set '{set}', -{parameter.Name}");
                Expect(element, "position", facts.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named", $"{name}, set '{set}', -{parameter.Name}");
                Expect(element, "pipelineInput", HelpFacts.PipelineText(facts.ValueFromPipeline, facts.ValueFromPipelineByPropertyName), $"{name}, set '{set}', -{parameter.Name}");
                Expect(element, "globbing", parameter.SupportsWildcards ? "true" : "false", $"{name}, set '{set}', -{parameter.Name}");
            }
        }

        var documented = command.Element(Command + "parameters")?.Elements(Command + "parameter")
            .Select(parameter => parameter.Element(Maml + "name")?.Value ?? string.Empty).ToList() ?? new();
        var all = cmdlet.AllParameters.Select(parameter => parameter.Name).ToList();
        problems.AddRange(all.Except(documented).Select(parameter => $"{name}: -{parameter} is missing from command:parameters."));
        problems.AddRange(documented.Except(all).Select(parameter => $"{name}: command:parameters has -{parameter}, which the cmdlet does not declare{(parameter == "ProgressAction" ? " (ProgressAction is a common parameter)" : string.Empty)}."));
        ModuleUnderTest.AssertNone(problems, $"MAML for {name} vs the metadata");

        void Expect(XElement element, string attribute, string value, string who)
        {
            if ((string?)element.Attribute(attribute) != value)
            {
                problems.Add($"{who}: {attribute}=\"{(string?)element.Attribute(attribute)}\", the code says \"{value}\".");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Command_has_a_synopsis_a_description_and_examples(string name)
    {
        var command = CommandOf(name);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(command.Element(Command + "details")?.Element(Maml + "description")?.Value))
        {
            problems.Add($"{name}: no synopsis (details/maml:description) in the MAML.");
        }

        if (string.IsNullOrWhiteSpace(command.Element(Maml + "description")?.Value))
        {
            problems.Add($"{name}: no description in the MAML.");
        }

        var examples = command.Element(Command + "examples")?.Elements(Command + "example").ToList() ?? new();
        if (examples.Count < 2 || examples.Any(example => string.IsNullOrWhiteSpace(example.Element(MamlWriter.Dev + "code")?.Value)))
        {
            problems.Add($"{name}: {examples.Count} example(s) in the MAML, or one without code; the docs page has {CommandHelp.Read(ModuleUnderTest.Instance.PathOf($"docs/help/en-US/{name}.md"))?.Examples.Count ?? 0}.");
        }

        ModuleUnderTest.AssertNone(problems, $"MAML content for {name}");
    }

    [Fact]
    public void Help_file_is_what_the_docs_and_the_assembly_give_now()
    {
        var module = ModuleUnderTest.Instance;
        var pages = CommandHelp.ReadAll(module.PathOf("docs/help/en-US"), ModuleUnderTest.ModuleName);
        var expected = MamlWriter.ToText(MamlWriter.Build(module.Cmdlets, pages));
        Assert.True(
            File.ReadAllText(HelpPath) == expected,
            $"{HelpPath} is not what docs/help/en-US and the laid-out AsyaSocket.dll give now: rebuild (dotnet build) so build/ModuleHelp.targets regenerates it.");
    }

    [Fact]
    public void About_topic_is_laid_out_as_help_text()
    {
        var module = ModuleUnderTest.Instance;
        foreach (var topic in AboutHelp.ReadAll(module.PathOf("docs/help/en-US")))
        {
            var path = Path.Combine(module.ModuleDirectory, "en-US", topic.Name + ".help.txt");
            Assert.True(File.Exists(path), $"{topic.Name}.md has no {path}; Get-Help {topic.Name} would find nothing.");
            Assert.True(
                File.ReadAllText(path) == AboutTopicWriter.ToText(topic),
                $"{path} is not what {topic.Name}.md gives now: rebuild so build/ModuleHelp.targets regenerates it.");
            Assert.StartsWith("TOPIC\n    " + topic.Name + "\n", File.ReadAllText(path), StringComparison.Ordinal);
        }
    }

    private static XDocument Load()
    {
        Assert.True(File.Exists(HelpPath), $"No help file at {HelpPath}; `dotnet build` writes it (build/ModuleHelp.targets).");
        return XDocument.Load(HelpPath);
    }

    private static XElement CommandOf(string name) =>
        Load().Root!.Elements(Command + "command").SingleOrDefault(command => command.Element(Command + "details")?.Element(Command + "name")?.Value == name)
        ?? throw new Xunit.Sdk.XunitException($"{name} has no command:command in {HelpPath}.");
}
