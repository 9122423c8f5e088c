using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>Parameter declarations PowerShell would reject, or bind in surprising ways.</summary>
public sealed class ParameterTests
{
    /// <summary>
    /// Names PowerShell reserves: the common parameters (ProgressAction since 7.4) and the ShouldProcess and
    /// transaction ones. A cmdlet declaring one fails when PowerShell builds its metadata.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedNames = new[]
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        "WhatIf", "Confirm", "UseTransaction",
    };

    /// <summary>The aliases of those parameters, which are taken too.</summary>
    public static readonly IReadOnlyList<string> ReservedAliases = new[]
    {
        "vb", "db", "ea", "wa", "infa", "proga", "ev", "wv", "iv", "ov", "ob", "pv", "wi", "cf", "usetx",
    };

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void At_most_one_parameter_per_set_takes_pipeline_input_by_value(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var problems = new List<string>();
        foreach (var set in cmdlet.ParameterSetNames)
        {
            // A parameter counts in a set through its own [Parameter(ParameterSetName = set)] or, failing that, its
            // __AllParameterSets one.
            var byValue = cmdlet.Parameters.Where(parameter => parameter.In(set)?.ValueFromPipeline == true).ToList();
            if (byValue.Count > 1)
            {
                problems.Add($"{cmdlet.Name}, set '{set}': {string.Join(", ", byValue)} all take ValueFromPipeline; give each its own parameter set.");
            }
        }

        ModuleUnderTest.AssertNone(problems, "Parameter sets with more than one by-value pipeline parameter");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void No_parameter_uses_a_reserved_name_or_alias(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var problems = new List<string>();
        foreach (var parameter in cmdlet.Parameters)
        {
            if (ReservedNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{cmdlet.Name} declares -{parameter.Name}, a name PowerShell reserves for a common parameter.");
            }

            foreach (var alias in parameter.Aliases.Where(alias => ReservedNames.Concat(ReservedAliases).Contains(alias, StringComparer.OrdinalIgnoreCase)))
            {
                problems.Add($"{cmdlet.Name} -{parameter.Name} has the alias '{alias}', which a common parameter already uses.");
            }
        }

        ModuleUnderTest.AssertNone(problems, "Reserved parameter names");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Positions_are_unique_within_a_set(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var problems = new List<string>();
        foreach (var set in cmdlet.ParameterSetNames)
        {
            var clashes = cmdlet.Parameters
                .Where(parameter => parameter.In(set)?.Position is not null)
                .GroupBy(parameter => parameter.In(set)!.Position)
                .Where(group => group.Count() > 1);
            foreach (var clash in clashes)
            {
                problems.Add($"{cmdlet.Name}, set '{set}': {string.Join(", ", clash)} all have Position = {clash.Key}.");
            }
        }

        ModuleUnderTest.AssertNone(problems, "Parameter sets with two parameters at one position");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Flags_are_switches_not_bools(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var problems = cmdlet.Parameters
            .Where(parameter => parameter.TypeFullName == "System.Boolean" || parameter.TypeFullName.StartsWith("System.Nullable`1[[System.Boolean,", StringComparison.Ordinal))
            .Select(parameter => $"{cmdlet.Name} -{parameter.Name} is a [bool]; make it a [switch] (SwitchParameter).");
        ModuleUnderTest.AssertNone(problems, "Boolean parameters");
    }

    [Fact]
    public void The_reserved_names_are_the_ones_the_help_builder_treats_as_common()
    {
        // The help builder must leave exactly these out of the documented parameters (ProgressAction included).
        var builder = CommonParameters.Always.Keys.Concat(CommonParameters.Optional.Keys);
        Assert.Equal(ReservedNames.OrderBy(name => name), builder.OrderBy(name => name));
    }
}
