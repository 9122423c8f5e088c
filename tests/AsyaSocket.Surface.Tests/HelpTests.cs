using System.Text.RegularExpressions;
using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// docs/help/en-US agrees with the compiled cmdlets: every cmdlet and parameter documented, nothing documented
/// that does not exist, and every yaml block stating the metadata's type, sets, position, pipeline input and more.
/// </summary>
public sealed partial class HelpTests
{
    private const string Docs = "docs/help/en-US";

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    private static string DocsDirectory => ModuleUnderTest.Instance.PathOf(Docs);

    private static string HelpFileName => ModuleUnderTest.ModuleName + ".dll-Help.xml";

    [Fact]
    public void Every_cmdlet_has_a_page_and_every_page_a_cmdlet()
    {
        ModuleUnderTest.AssertNone(
            HelpCheck.Pages(ModuleUnderTest.Instance.Cmdlets, DocsDirectory, ModuleUnderTest.ModuleName),
            $"Cmdlets vs pages in {Docs}");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Page_has_platyPS_front_matter_and_sections(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.Page(cmdlet, page, ModuleUnderTest.ModuleName, HelpFileName), $"{name}.md structure");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Syntax_matches_the_parameter_sets(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.Syntax(cmdlet, page), $"{name}.md SYNTAX vs the cmdlet");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_is_documented_and_no_other(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.ParameterNames(cmdlet, page), $"{name}.md PARAMETERS vs the cmdlet");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Yaml_blocks_state_the_code_facts(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.ParameterFacts(cmdlet, page), $"{name}.md yaml blocks vs the cmdlet");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Inputs_and_outputs_name_the_pipeline_types(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.InputsAndOutputs(cmdlet, page), $"{name}.md INPUTS/OUTPUTS vs the cmdlet");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Examples_drive_a_Compose_mesh_and_a_Pester_test(string name)
    {
        var (cmdlet, page) = Load(name);
        ModuleUnderTest.AssertNone(HelpCheck.Examples(cmdlet, page), $"{name}.md EXAMPLES");
    }

    [Fact]
    public void Code_in_the_docs_uses_only_real_cmdlets_and_parameters()
    {
        var cmdlets = ModuleUnderTest.Instance.Cmdlets;
        var problems = new List<string>();
        foreach (var path in Directory.GetFiles(DocsDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            var document = Markdown.Parse(File.ReadAllText(path));
            foreach (var (section, code) in CodeBlocks(document.Root))
            {
                problems.AddRange(HelpCheck.CommandUses($"{Path.GetFileName(path)} ({section})", code, cmdlets, "Asya"));
            }
        }

        ModuleUnderTest.AssertNone(problems, $"Code in {Docs} that names a cmdlet or parameter the module does not have");
    }

    [Fact]
    public void Links_between_pages_resolve()
    {
        var problems = Directory.GetFiles(DocsDirectory, "*.md")
            .Order(StringComparer.Ordinal)
            .SelectMany(path => HelpCheck.Links(path, File.ReadAllLines(path).SelectMany(Markdown.LinksIn)));
        ModuleUnderTest.AssertNone(problems, $"Broken links in {Docs}");
    }

    [Fact]
    public void Module_page_lists_every_cmdlet_with_its_synopsis()
    {
        var module = ModuleUnderTest.Instance;
        var path = Path.Combine(DocsDirectory, ModuleUnderTest.ModuleName + ".md");
        Assert.True(File.Exists(path), $"No module page {Docs}/{ModuleUnderTest.ModuleName}.md.");
        var document = Markdown.Parse(File.ReadAllText(path));
        var problems = new List<string>();
        var guid = ManifestValue(File.ReadAllText(module.PathOf("module/AsyaSocket.psd1")), "GUID");
        if (document.FrontMatter is null || !document.FrontMatter.TryGetValue("Module Guid", out var pageGuid) || pageGuid != guid)
        {
            problems.Add($"The front matter's 'Module Guid:' should be the manifest's GUID {guid}.");
        }

        if (document.FrontMatter?.TryGetValue("Module Name", out var moduleName) != true || moduleName != ModuleUnderTest.ModuleName)
        {
            problems.Add($"The front matter's 'Module Name:' should be {ModuleUnderTest.ModuleName}.");
        }

        var list = document.Root.Children.FirstOrDefault()?.Child($"{ModuleUnderTest.ModuleName} Cmdlets")?.Children ?? new();
        var listed = list.Select(section => (Name: LinkText().Match(section.Heading).Groups[1].Value, Synopsis: section.Text)).ToList();
        foreach (var cmdlet in module.Cmdlets)
        {
            var entry = listed.FirstOrDefault(item => item.Name == cmdlet.Name);
            if (entry.Name is null)
            {
                problems.Add($"{cmdlet.Name} is not listed under '## {ModuleUnderTest.ModuleName} Cmdlets'.");
                continue;
            }

            var synopsis = HelpCheck.Text(CommandHelp.Read(Path.Combine(DocsDirectory, cmdlet.Name + ".md"))?.Synopsis ?? Array.Empty<MarkdownBlock>());
            if (entry.Synopsis != synopsis)
            {
                problems.Add($"{cmdlet.Name}: the module page says '{entry.Synopsis}', its page's SYNOPSIS says '{synopsis}'.");
            }
        }

        problems.AddRange(listed.Where(item => !module.Cmdlets.Any(cmdlet => cmdlet.Name == item.Name))
            .Select(item => $"The module page lists {item.Name}, which is not a cmdlet of the module."));
        ModuleUnderTest.AssertNone(problems, $"{Docs}/{ModuleUnderTest.ModuleName}.md");
    }

    [Fact]
    public void About_topic_has_the_standard_sections()
    {
        var topics = AboutHelp.ReadAll(DocsDirectory);
        var about = topics.SingleOrDefault(topic => topic.Name == "about_" + ModuleUnderTest.ModuleName);
        Assert.True(about is not null, $"No {Docs}/about_{ModuleUnderTest.ModuleName}.md whose title is '# about_{ModuleUnderTest.ModuleName}'.");
        var missing = new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" }
            .Where(heading => about!.Top.Child(heading) is not { } section || section.Text.Length == 0)
            .Select(heading => $"about_{ModuleUnderTest.ModuleName}.md has no (or an empty) '## {heading}'.");
        ModuleUnderTest.AssertNone(missing, "about topic");
    }

    private static (CmdletInfo Cmdlet, CommandHelp Page) Load(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var path = Path.Combine(DocsDirectory, name + ".md");
        var page = File.Exists(path) ? CommandHelp.Read(path) : null;
        Assert.True(page is not null, $"{name} is not documented: add {Docs}/{name}.md (platyPS schema 2.0.0).");
        return (cmdlet, page!);
    }

    private static IEnumerable<(string Section, string Code)> CodeBlocks(MarkdownSection section)
    {
        foreach (var code in section.Blocks.OfType<MarkdownCode>().Where(block => block.Language is "powershell" or "pwsh" or "ps1"))
        {
            yield return (section.Heading, string.Join("\n", code.Lines));
        }

        foreach (var block in section.Children.SelectMany(CodeBlocks))
        {
            yield return block;
        }
    }

    private static string? ManifestValue(string psd1, string key) =>
        Regex.Match(psd1, $@"(?m)^\s*{key}\s*=\s*'([^']*)'") is { Success: true } match ? match.Groups[1].Value : null;

    [GeneratedRegex(@"^\[([^\]]+)\]")]
    private static partial Regex LinkText();
}
