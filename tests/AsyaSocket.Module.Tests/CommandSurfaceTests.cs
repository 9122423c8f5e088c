using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// The module as Get-Command and Get-Module show it once PowerShell has imported it: what it exports, the verbs and
/// nouns, the parameter sets as the engine built them, and the declared output types.
/// </summary>
public sealed partial class CommandSurfaceTests(ModuleSession session) : IClassFixture<ModuleSession>
{
    // Plural-looking endings that are still singular nouns (Status, Address, Analysis).
    private static readonly string[] SingularEndings = ["ss", "us", "is"];

    private IReadOnlyList<CmdletInfo> Cmdlets =>
        session.Run("Get-Command -Module $args[0] | Sort-Object Name", LaidOutModule.Name).Select(item => (CmdletInfo)item.BaseObject).ToList();

    [Fact]
    public void The_manifest_exports_every_cmdlet_of_the_assembly_and_nothing_else()
    {
        // Importing the assembly itself (no manifest) makes PowerShell export every cmdlet it finds in it.
        using var bare = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        bare.Open();
        using var shell = PowerShell.Create();
        shell.Runspace = bare;
        var inAssembly = shell.AddScript("param($dll) Import-Module $dll -PassThru -ErrorAction Stop | ForEach-Object { $_.ExportedCmdlets.Keys }; Remove-Module AsyaSocket")
            .AddArgument(Path.Combine(LaidOutModule.Directory, LaidOutModule.Name + ".dll"))
            .Invoke().Select(name => name.ToString()).Order(StringComparer.Ordinal).ToList();

        var exported = session.Module.ExportedCmdlets.Keys.Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(inAssembly);
        Assert.Equal(inAssembly, exported);
        Assert.Equal(exported, Cmdlets.Select(cmdlet => cmdlet.Name).ToList());
    }

    [Fact]
    public void The_module_exports_only_cmdlets_and_carries_the_build_version()
    {
        var module = session.Module;
        Assert.Empty(module.ExportedFunctions);
        Assert.Empty(module.ExportedAliases);
        Assert.Empty(module.ExportedVariables);
        Assert.Equal(ModuleType.Binary, module.ModuleType);
        Assert.Equal(new Version(LaidOutModule.Version), module.Version);
        var assembly = module.ImplementingAssembly.GetName().Version!;
        Assert.Equal(new Version(LaidOutModule.Version), new Version(assembly.Major, assembly.Minor, assembly.Build));
        Assert.Equal(new Version(7, 4), module.PowerShellVersion);
        Assert.Equal(["Core"], module.CompatiblePSEditions);
    }

    [Fact]
    public void Every_verb_is_one_Get_Verb_approves()
    {
        var approved = session.Run("Get-Verb | ForEach-Object Verb").Select(verb => verb.ToString()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Send", approved);
        Problems.AssertNone(
            Cmdlets.Where(cmdlet => !approved.Contains(cmdlet.Verb)).Select(cmdlet => $"{cmdlet.Name}: '{cmdlet.Verb}' is not an approved verb (Get-Verb)."),
            "Unapproved verbs");
    }

    [Fact]
    public void Every_noun_is_a_singular_Asya_noun()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Cmdlets)
        {
            if (!AsyaNoun().IsMatch(cmdlet.Noun))
            {
                problems.Add($"{cmdlet.Name}: the noun '{cmdlet.Noun}' must be 'Asya' and a PascalCase noun (AsyaMessage).");
            }

            if (cmdlet.Noun.EndsWith('s') && !SingularEndings.Any(ending => cmdlet.Noun.EndsWith(ending, StringComparison.Ordinal)))
            {
                problems.Add($"{cmdlet.Name}: the noun '{cmdlet.Noun}' looks plural; PowerShell nouns are singular.");
            }
        }

        Problems.AssertNone(problems, "Nouns");
    }

    [Fact]
    public void The_engine_builds_every_parameter_set_and_binds_each_unambiguously()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Cmdlets)
        {
            IReadOnlyCollection<CommandParameterSetInfo> sets;
            try
            {
                // A parameter named like a common one, or two parameters with one name or alias, fail here.
                sets = cmdlet.ParameterSets;
                _ = cmdlet.Parameters;
            }
            catch (MetadataException error)
            {
                problems.Add($"{cmdlet.Name}: PowerShell cannot build its parameters: {error.Message}");
                continue;
            }

            if (sets.Count > 1 && sets.Count(set => set.IsDefault) != 1)
            {
                problems.Add($"{cmdlet.Name}: {sets.Count} parameter sets but {sets.Count(set => set.IsDefault)} default; set DefaultParameterSetName.");
            }

            foreach (var set in sets)
            {
                var own = set.Parameters.Where(parameter => !IsCommon(parameter.Name)).ToList();
                var byValue = own.Where(parameter => parameter.ValueFromPipeline).Select(parameter => parameter.Name).ToList();
                if (byValue.Count > 1)
                {
                    problems.Add($"{cmdlet.Name}, set '{set.Name}': {string.Join(", ", byValue)} all take pipeline input by value.");
                }

                foreach (var clash in own.Where(parameter => parameter.Position >= 0).GroupBy(parameter => parameter.Position).Where(group => group.Count() > 1))
                {
                    problems.Add($"{cmdlet.Name}, set '{set.Name}': {string.Join(", ", clash.Select(parameter => parameter.Name))} share position {clash.Key}.");
                }

                foreach (var flag in own.Where(parameter => parameter.ParameterType == typeof(bool) || parameter.ParameterType == typeof(bool?)))
                {
                    problems.Add($"{cmdlet.Name} -{flag.Name} is a [bool]; make it a [switch].");
                }
            }
        }

        Problems.AssertNone(problems, "Parameter sets");
    }

    [Fact]
    public void Every_cmdlet_declares_output_types_the_engine_can_resolve()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Cmdlets)
        {
            if (cmdlet.OutputType.Count == 0)
            {
                problems.Add($"{cmdlet.Name} declares no [OutputType].");
            }

            problems.AddRange(cmdlet.OutputType.Where(type => type.Type is null).Select(type => $"{cmdlet.Name}: [OutputType] {type.Name} does not resolve to a loaded type."));
        }

        Problems.AssertNone(problems, "Output types");
    }

    /// <summary>The engine's own common and ShouldProcess parameters, never a cmdlet's to declare.</summary>
    private static bool IsCommon(string name) =>
        Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);

    [GeneratedRegex("^Asya[A-Z][A-Za-z0-9]*$")]
    private static partial Regex AsyaNoun();
}
