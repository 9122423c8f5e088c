using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The help builder leaves PowerShell's common parameters out of the documented ones. How PowerShell really builds
/// and binds the cmdlets' parameters is proven by the engine in tests/AsyaSocket.Module.Tests.
/// </summary>
public sealed class ParameterTests
{
    /// <summary>
    /// Names PowerShell reserves: the common parameters (ProgressAction since 7.4) and the ShouldProcess and
    /// transaction ones.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedNames = new[]
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction",
        "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
        "WhatIf", "Confirm", "UseTransaction",
    };

    [Fact]
    public void The_reserved_names_are_the_ones_the_help_builder_treats_as_common()
    {
        // The help builder must leave exactly these out of the documented parameters (ProgressAction included).
        var builder = CommonParameters.Always.Keys.Concat(CommonParameters.Optional.Keys);
        Assert.Equal(ReservedNames.OrderBy(name => name), builder.OrderBy(name => name));
    }
}
