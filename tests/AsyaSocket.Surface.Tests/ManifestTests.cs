using System.Text.RegularExpressions;

namespace AsyaSocket.Surface.Tests;

/// <summary>The manifest exports exactly the cmdlets the assembly has, and the laid-out copy carries the one version.</summary>
public sealed partial class ManifestTests
{
    private const string Manifest = "module/AsyaSocket.psd1";

    [Fact]
    public void CmdletsToExport_equals_the_cmdlets_in_the_assembly()
    {
        var exported = ExportList(File.ReadAllText(ModuleUnderTest.Instance.PathOf(Manifest)), "CmdletsToExport");
        var found = ModuleUnderTest.Instance.Cmdlets.Select(cmdlet => cmdlet.Name).ToList();
        var problems = new List<string>();
        problems.AddRange(exported.Where(name => name.Contains('*', StringComparison.Ordinal))
            .Select(name => $"'{name}' is a wildcard; list every cmdlet explicitly."));
        problems.AddRange(found.Except(exported, StringComparer.OrdinalIgnoreCase)
            .Select(name => $"{name} is in AsyaSocket.dll but not in CmdletsToExport: users cannot run it."));
        problems.AddRange(exported.Where(name => !name.Contains('*', StringComparison.Ordinal)).Except(found, StringComparer.OrdinalIgnoreCase)
            .Select(name => $"{name} is in CmdletsToExport but AsyaSocket.dll has no such cmdlet."));
        problems.AddRange(exported.GroupBy(name => name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1)
            .Select(group => $"{group.Key} is listed {group.Count()} times."));
        ModuleUnderTest.AssertNone(problems, $"{Manifest} CmdletsToExport vs the assembly");
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

    [Fact]
    public void RootModule_is_the_cmdlet_assembly()
    {
        var text = File.ReadAllText(ModuleUnderTest.Instance.PathOf(Manifest));
        var expected = Path.GetFileName(ModuleUnderTest.Instance.Assembly.Assembly.Location);
        Assert.Equal(expected, Value(text, "RootModule"));
    }

    [Fact]
    public void FormatsToProcess_files_are_laid_out()
    {
        var module = ModuleUnderTest.Instance;
        var formats = ExportList(File.ReadAllText(module.PathOf(Manifest)), "FormatsToProcess");
        Assert.True(formats.Count > 0, $"{Manifest} has no FormatsToProcess; the views in module/AsyaSocket.Format.ps1xml would not load.");
        var missing = formats.Where(file => !File.Exists(Path.Combine(module.ModuleDirectory, file)))
            .Select(file => $"{file} is in FormatsToProcess but not in {module.ModuleDirectory}.");
        ModuleUnderTest.AssertNone(missing, "Format files");
    }

    [Fact]
    public void Laid_out_manifest_version_equals_the_build_version()
    {
        var module = ModuleUnderTest.Instance;
        var laidOut = Path.Combine(module.ModuleDirectory, "AsyaSocket.psd1");
        Assert.True(File.Exists(laidOut), $"No laid-out manifest at {laidOut}; `dotnet build` writes it (build/ModuleLayout.targets).");
        Assert.True(
            Value(File.ReadAllText(laidOut), "ModuleVersion") == module.Version,
            $"{laidOut} says ModuleVersion = '{Value(File.ReadAllText(laidOut), "ModuleVersion")}', Directory.Build.props says <Version>{module.Version}</Version>.");
    }

    [Fact]
    public void Laid_out_assembly_version_equals_the_build_version()
    {
        var module = ModuleUnderTest.Instance;
        var version = module.Assembly.Assembly.GetName().Version;
        Assert.True(
            version is not null && new Version(module.Version).Equals(new Version(version.Major, version.Minor, version.Build)),
            $"{module.Assembly.Assembly.Location} has version {version}, Directory.Build.props says {module.Version}.");
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

    private static string? Value(string psd1, string key)
    {
        var match = Regex.Match(psd1, $@"(?m)^\s*{key}\s*=\s*['""]([^'""]*)['""]");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"(?m)#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"'([^']*)'|""([^""]*)""")]
    private static partial Regex Quoted();
}
