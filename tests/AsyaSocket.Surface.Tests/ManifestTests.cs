using System.Text.RegularExpressions;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// What the manifest's text and the module folder say that the engine does not show: explicit export lists, and no
/// PowerShell assembly shipped. Exports and versions as PowerShell loads them: tests/AsyaSocket.Module.Tests.
/// </summary>
public sealed partial class ManifestTests
{
    private const string Manifest = "module/AsyaSocket.psd1";

    [Fact]
    public void CmdletsToExport_names_each_cmdlet_once_and_no_wildcard()
    {
        // The engine sees the result (tests/AsyaSocket.Module.Tests compares it with the assembly), not a '*' that
        // happens to export the same cmdlets today and would export anything added tomorrow.
        var exported = ExportList(File.ReadAllText(ModuleUnderTest.Instance.PathOf(Manifest)), "CmdletsToExport");
        var problems = exported.Where(name => name.Contains('*', StringComparison.Ordinal))
            .Select(name => $"'{name}' is a wildcard; list every cmdlet explicitly.")
            .Concat(exported.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1)
                .Select(group => $"{group.Key} is listed {group.Count()} times."));
        ModuleUnderTest.AssertNone(problems, $"{Manifest} CmdletsToExport");
    }

    [Fact]
    public void The_laid_out_module_ships_no_PowerShell_assembly()
    {
        // The engine that imports the module brings System.Management.Automation; a copy in the module folder would
        // be loaded instead in some hosts, or clash with the real one.
        var shipped = Directory.EnumerateFiles(ModuleUnderTest.Instance.ModuleDirectory, "*.dll", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("System.Management.Automation", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Microsoft.PowerShell.", StringComparison.OrdinalIgnoreCase))
            .Select(name => $"{name} is in {ModuleUnderTest.Instance.ModuleDirectory}.");
        ModuleUnderTest.AssertNone(shipped, "PowerShell assemblies in the laid-out module");
        Assert.True(File.Exists(Path.Combine(ModuleUnderTest.Instance.ModuleDirectory, ModuleUnderTest.ModuleName + ".dll")), "The check looked in a folder without the module.");
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("VariablesToExport")]
    [InlineData("AliasesToExport")]
    public void Other_exports_are_explicitly_empty(string key)
    {
        var text = File.ReadAllText(ModuleUnderTest.Instance.PathOf(Manifest));
        Assert.True(
            Regex.IsMatch(text, $@"(?m)^\s*{key}\s*=\s*@\(\s*\)"),
            $"{Manifest}: {key} must be @() (an absent or '*' export makes PowerShell export everything and slows module discovery).");
    }

    /// <summary>The quoted strings of <c>Key = @( ... )</c> or <c>Key = 'x'</c> in a .psd1, comments stripped.</summary>
    public static List<string> ExportList(string psd1, string key)
    {
        var withoutComments = Comment().Replace(psd1, string.Empty);
        var match = Regex.Match(withoutComments, $@"(?m)^\s*{key}\s*=\s*(@\((?<list>[^)]*)\)|(?<list>'[^']*'|""[^""]*""))");
        Assert.True(match.Success, $"{Manifest} has no '{key} = ...' entry.");
        return Quoted().Matches(match.Groups["list"].Value)
            .Select(item => item.Groups[1].Success ? item.Groups[1].Value : item.Groups[2].Value)
            .ToList();
    }

    [GeneratedRegex(@"(?m)#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"'([^']*)'|""([^""]*)""")]
    private static partial Regex Quoted();
}
