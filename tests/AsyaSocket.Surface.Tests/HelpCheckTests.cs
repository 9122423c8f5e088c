using System.Text.RegularExpressions;
using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The docs checks themselves: a copy of a real page is broken in one way and the check must name the offender.
/// Without these, a check that silently passes everything would look like documentation that agrees with code.
/// </summary>
public sealed class HelpCheckTests : IDisposable
{
    private const string Cmdlet = "Send-AsyaMessage";
    private readonly string _directory = Directory.CreateTempSubdirectory("asya-help-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void The_real_page_has_no_problems()
    {
        Assert.Empty(AllProblems(Original()));
    }

    [Fact]
    public void An_undocumented_parameter_is_reported()
    {
        var page = Regex.Replace(Original(), @"### -PassThru\n.*?(?=\n### )", string.Empty, RegexOptions.Singleline);
        Assert.Contains(AllProblems(page), problem => problem.Contains("parameter -PassThru is not documented", StringComparison.Ordinal));
    }

    [Fact]
    public void A_documented_parameter_that_does_not_exist_is_reported()
    {
        var page = Change(Original(), "### CommonParameters", "### -Bogus\nNot a parameter.\n\n```yaml\nType: String\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\n### CommonParameters");
        Assert.Contains(AllProblems(page), problem => problem.Contains("documented parameter -Bogus does not exist", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "has no 'online version:' address")]
    [InlineData("http://example.com/Send-AsyaMessage.md", "is not an https address")]
    [InlineData("https://example.com/elsewhere.md", "[Cmdlet(HelpUri)] is 'https://")]
    public void An_online_version_that_Get_Help_Online_cannot_use_is_reported(string online, string expected)
    {
        var page = Regex.Replace(Original(), @"(?m)^online version:.*$", "online version: " + online);
        Assert.Contains(AllProblems(page), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_documented_common_parameter_is_reported()
    {
        var page = Change(Original(), "### CommonParameters", "### -ProgressAction\nplatyPS 0.14 adds this.\n\n```yaml\nType: ActionPreference\nParameter Sets: (All)\nAliases: proga\n\nRequired: False\nPosition: Named\nDefault value: None\nAccept pipeline input: False\nAccept wildcard characters: False\n```\n\n### CommonParameters");
        Assert.Contains(AllProblems(page), problem => problem.Contains("-ProgressAction is a common parameter", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("-Payload", "Position: 1", "Position: 2", "yaml says Position: 2, the code says 1")]
    [InlineData("-Payload", "Accept pipeline input: True (ByValue)", "Accept pipeline input: True (ByPropertyName, ByValue)", "yaml says Accept pipeline input: True (ByPropertyName, ByValue), the code says True (ByValue)")]
    [InlineData("-Route", "Type: String[]", "Type: String", "yaml says Type: String, the code says String[]")]
    [InlineData("-Body", "Required: True", "Required: False", "yaml says Required: False, the code says True")]
    [InlineData("-Envelope", "Parameter Sets: Envelope", "Parameter Sets: Payload", "the parameter is in set 'Envelope', which no yaml block lists")]
    [InlineData("-Envelope", "Parameter Sets: Envelope", "Parameter Sets: Payload", "yaml lists parameter set 'Payload', but the parameter is only in Envelope")]
    [InlineData("-Id", "Accept wildcard characters: False", "Accept wildcard characters: True", "yaml says Accept wildcard characters: True, the code says False")]
    [InlineData("-WhatIf", "Aliases: wi", "Aliases:", "yaml says Aliases: , the code says wi")]
    public void A_yaml_block_that_disagrees_with_the_code_is_reported(string parameter, string from, string to, string expected)
    {
        var page = ChangeInParameter(Original(), parameter, from, to);
        var problems = HelpCheck.ParameterFacts(Metadata(), Parse(page));
        Assert.Contains(problems, problem => problem.Contains($"{Cmdlet} {parameter}: ", StringComparison.Ordinal) && problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_yaml_block_for_one_group_of_sets_is_reported()
    {
        // -Actor has two blocks (optional in three sets, mandatory in Body and Text); drop the second.
        var page = Regex.Replace(Original(), @"(### -Actor\n.*?```\n)\n```yaml\n.*?```\n", "$1", RegexOptions.Singleline);
        var problems = HelpCheck.ParameterFacts(Metadata(), Parse(page));
        Assert.Contains(problems, problem => problem.Contains("-Actor: the parameter is in set 'Body', which no yaml block lists", StringComparison.Ordinal));
    }

    [Fact]
    public void Syntax_that_disagrees_with_the_code_is_reported()
    {
        var page = Change(Original(), "Send-AsyaMessage [-Actor] <String> -Text <String>", "Send-AsyaMessage [-Actor] <String> [-Text <String>]");
        page = Change(page, "### Payload (Default)", "### Payload");
        var problems = HelpCheck.Syntax(Metadata(), Parse(page));
        Assert.Contains(problems, problem => problem.Contains("SYNTAX for set 'Text' reads", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("set 'Payload' is the default and must say (Default)", StringComparison.Ordinal));
    }

    [Fact]
    public void Examples_with_invented_parameters_or_cmdlets_are_reported()
    {
        var cmdlets = ModuleUnderTest.Instance.Cmdlets;
        var problems = HelpCheck.CommandUses("test", "@{ a = 1 } | Send-AsyaMessage -Actor x -Retries 3 | Format-List\nGet-AsyaThing -Name x", cmdlets, "Asya");
        Assert.Contains("test: Send-AsyaMessage has no parameter -Retries.", problems);
        Assert.Contains("test: uses Get-AsyaThing, which is not a cmdlet of the module.", problems);
        Assert.Empty(HelpCheck.CommandUses("test", "Send-AsyaMessage -Actor x -Payload @{ n = -1 } -Verbose | Should -Not -BeNullOrEmpty", cmdlets, "Asya"));
    }

    [Fact]
    public void An_undocumented_cmdlet_and_a_page_without_a_cmdlet_are_reported()
    {
        var docs = ModuleUnderTest.Instance.PathOf("docs/help/en-US");
        foreach (var path in Directory.GetFiles(docs, "*.md").Where(path => Path.GetFileName(path) != Cmdlet + ".md"))
        {
            File.Copy(path, Path.Combine(_directory, Path.GetFileName(path)));
        }

        File.WriteAllText(Path.Combine(_directory, "Get-AsyaThing.md"), "---\nschema: 2.0.0\n---\n\n# Get-AsyaThing\n\n## SYNOPSIS\nNot a cmdlet.\n");
        var problems = HelpCheck.Pages(ModuleUnderTest.Instance.Cmdlets, _directory, ModuleUnderTest.ModuleName);
        Assert.Contains(problems, problem => problem.StartsWith($"{Cmdlet} is not documented", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("Get-AsyaThing.md: documents Get-AsyaThing, which is not a cmdlet", StringComparison.Ordinal));
    }

    private static string Original() =>
        File.ReadAllText(ModuleUnderTest.Instance.PathOf($"docs/help/en-US/{Cmdlet}.md"));

    private static CmdletInfo Metadata() => ModuleUnderTest.Instance.Cmdlet(Cmdlet);

    private List<string> AllProblems(string page)
    {
        var help = Parse(page);
        var cmdlet = Metadata();
        return HelpCheck.Page(cmdlet, help, ModuleUnderTest.ModuleName, "AsyaSocket.dll-Help.xml")
            .Concat(HelpCheck.Syntax(cmdlet, help))
            .Concat(HelpCheck.ParameterNames(cmdlet, help))
            .Concat(HelpCheck.ParameterFacts(cmdlet, help))
            .Concat(HelpCheck.InputsAndOutputs(cmdlet, help))
            .Concat(HelpCheck.Examples(cmdlet, help))
            .ToList();
    }

    private CommandHelp Parse(string page)
    {
        var path = Path.Combine(_directory, Cmdlet + ".md");
        File.WriteAllText(path, page);
        return CommandHelp.Read(path)!;
    }

    private static string Change(string text, string from, string to)
    {
        Assert.True(text.Contains(from, StringComparison.Ordinal), $"The page no longer contains '{from}'; update this test.");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static string ChangeInParameter(string text, string parameter, string from, string to)
    {
        var match = Regex.Match(text, $@"### {Regex.Escape(parameter)}\n.*?(?=\n### )", RegexOptions.Singleline);
        Assert.True(match.Success, $"The page has no '### {parameter}' section; update this test.");
        var section = match.Value;
        Assert.True(section.Contains(from, StringComparison.Ordinal), $"'### {parameter}' no longer contains '{from}'; update this test.");
        var index = section.IndexOf(from, StringComparison.Ordinal);
        return text[..match.Index] + section[..index] + to + section[(index + from.Length)..] + text[(match.Index + match.Length)..];
    }
}
