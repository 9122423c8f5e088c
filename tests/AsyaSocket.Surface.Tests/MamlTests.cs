using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The laid-out help files are what docs/help/en-US and the laid-out assembly give now (a stale build would pass
/// the engine's checks with yesterday's text). What Get-Help shows from them is checked by the engine in
/// tests/AsyaSocket.Module.Tests.
/// </summary>
public sealed class MamlTests
{
    private static string HelpPath =>
        Path.Combine(ModuleUnderTest.Instance.ModuleDirectory, "en-US", ModuleUnderTest.ModuleName + ".dll-Help.xml");

    [Fact]
    public void Help_file_is_what_the_docs_and_the_assembly_give_now()
    {
        var module = ModuleUnderTest.Instance;
        var pages = CommandHelp.ReadAll(module.PathOf("docs/help/en-US"), ModuleUnderTest.ModuleName);
        var expected = MamlWriter.ToText(MamlWriter.Build(module.Cmdlets, pages));
        Assert.True(File.Exists(HelpPath), $"No help file at {HelpPath}; `dotnet build` writes it (build/ModuleHelp.targets).");
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
}
