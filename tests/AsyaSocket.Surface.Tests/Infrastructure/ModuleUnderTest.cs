using AsyaSocket.Testing;
using AsyaSocket.HelpBuilder;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The laid-out module (output/AsyaSocket/&lt;Version&gt;/) opened once for all tests in a MetadataLoadContext, with
/// the repository's source files around it. Nothing of the module is executed.
/// </summary>
public sealed partial class ModuleUnderTest
{
    /// <summary>The module name: the manifest, the assembly and the help file are all named after it.</summary>
    public const string ModuleName = "AsyaSocket";

    /// <summary>Overrides the module folder the tests open (default output/AsyaSocket/&lt;Version&gt;).</summary>
    public const string ModuleDirectoryVariable = "ASYA_SURFACE_MODULE_DIR";

    private static readonly Lazy<ModuleUnderTest> Shared = new(() => new ModuleUnderTest());

    private ModuleUnderTest()
    {
        RepositoryRoot = RepositoryCheckout.Root;
        Version = RepositoryCheckout.Version;
        // ASYA_SURFACE_MODULE_DIR points the tests at another laid-out module (a package being checked, say).
        ModuleDirectory = Environment.GetEnvironmentVariable(ModuleDirectoryVariable) is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(RepositoryRoot, "output", ModuleName, Version);
        var assemblyPath = Path.Combine(ModuleDirectory, ModuleName + ".dll");
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException(
                $"The laid-out module is missing: {assemblyPath}. `dotnet build` lays it out (src/AsyaSocket.Cmdlets, build/ModuleLayout.targets).",
                assemblyPath);
        }

        var sma = Path.Combine(AppContext.BaseDirectory, "metadata", "System.Management.Automation.dll");
        Assembly = CmdletAssembly.Load(assemblyPath, new[] { sma });
    }

    /// <summary>The one instance.</summary>
    public static ModuleUnderTest Instance => Shared.Value;

    /// <summary>The cmdlet names, for [MemberData].</summary>
    public static TheoryData<string> CmdletNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var cmdlet in Instance.Cmdlets)
            {
                data.Add(cmdlet.Name);
            }

            return data;
        }
    }

    /// <summary>The folder holding AsyaSocket.slnx.</summary>
    public string RepositoryRoot { get; }

    /// <summary>&lt;Version&gt; from Directory.Build.props.</summary>
    public string Version { get; }

    /// <summary>output/AsyaSocket/&lt;Version&gt;.</summary>
    public string ModuleDirectory { get; }

    /// <summary>AsyaSocket.dll in its MetadataLoadContext.</summary>
    public CmdletAssembly Assembly { get; }

    /// <summary>Every exported cmdlet class of the assembly.</summary>
    public IReadOnlyList<CmdletInfo> Cmdlets => Assembly.Cmdlets;

    /// <summary>The cmdlet called <paramref name="name"/>.</summary>
    public CmdletInfo Cmdlet(string name) =>
        Cmdlets.Single(cmdlet => cmdlet.Name == name);

    /// <summary>A repository file by its path from the root ('/'-separated).</summary>
    public string PathOf(string relativePath) =>
        Path.Combine(new[] { RepositoryRoot }.Concat(relativePath.Split('/')).ToArray());

    /// <summary>Fails with every problem on its own line, or passes when there is none.</summary>
    public static void AssertNone(IEnumerable<string> problems, string what)
    {
        var list = problems.ToList();
        if (list.Count > 0)
        {
            Assert.Fail($"{what}:\n  " + string.Join("\n  ", list));
        }
    }
}
