using System.Reflection;

namespace AsyaSocket.HelpBuilder;

/// <summary>What one [Parameter] attribute says: the parameter's facts in one parameter set.</summary>
/// <param name="SetName">The ParameterSetName; <see cref="CmdletInfo.AllParameterSets"/> when none is given.</param>
/// <param name="Mandatory">Mandatory = true.</param>
/// <param name="Position">The position, or null when named.</param>
/// <param name="ValueFromPipeline">Binds pipeline input by value.</param>
/// <param name="ValueFromPipelineByPropertyName">Binds pipeline input by property name.</param>
/// <param name="ValueFromRemainingArguments">Takes the remaining arguments.</param>
/// <param name="HelpMessage">The HelpMessage, when given.</param>
/// <param name="DontShow">DontShow = true.</param>
public sealed record ParameterDeclaration(
    string SetName,
    bool Mandatory,
    int? Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName,
    bool ValueFromRemainingArguments,
    string? HelpMessage,
    bool DontShow);

/// <summary>One cmdlet parameter as read from metadata (never by running cmdlet code).</summary>
public sealed class CmdletParameter
{
    /// <summary>Creates a parameter.</summary>
    public CmdletParameter(
        string name,
        string typeName,
        string typeFullName,
        IReadOnlyList<string> aliases,
        bool supportsWildcards,
        IReadOnlyList<ParameterDeclaration> declarations,
        bool isRiskMitigation = false)
    {
        Name = name;
        TypeName = typeName;
        TypeFullName = typeFullName;
        Aliases = aliases;
        SupportsWildcards = supportsWildcards;
        Declarations = declarations;
        IsRiskMitigation = isRiskMitigation;
    }

    /// <summary>The parameter name (the property or field name).</summary>
    public string Name { get; }

    /// <summary>The type as platyPS writes it by default: String, String[], SwitchParameter, AsyaMessage.</summary>
    public string TypeName { get; }

    /// <summary>The full type name: System.String[].</summary>
    public string TypeFullName { get; }

    /// <summary>True for [switch] parameters.</summary>
    public bool IsSwitch => TypeFullName == "System.Management.Automation.SwitchParameter";

    /// <summary>[Alias] names.</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>[SupportsWildcards].</summary>
    public bool SupportsWildcards { get; }

    /// <summary>Every [Parameter] attribute, in metadata order.</summary>
    public IReadOnlyList<ParameterDeclaration> Declarations { get; }

    /// <summary>-WhatIf and -Confirm, which SupportsShouldProcess adds; not declared by the cmdlet.</summary>
    public bool IsRiskMitigation { get; }

    /// <summary>The facts for <paramref name="setName"/>: its own attribute, else the all-sets one; null when not in it.</summary>
    public ParameterDeclaration? In(string setName) =>
        Declarations.FirstOrDefault(declaration => declaration.SetName == setName)
        ?? Declarations.FirstOrDefault(declaration => declaration.SetName == CmdletInfo.AllParameterSets);

    /// <inheritdoc />
    public override string ToString() => "-" + Name;
}

/// <summary>One cmdlet class as read from metadata.</summary>
public sealed class CmdletInfo
{
    /// <summary>The parameter set name of parameters declared without one.</summary>
    public const string AllParameterSets = "__AllParameterSets";

    private readonly List<CmdletParameter> _all;

    /// <summary>Creates a cmdlet.</summary>
    public CmdletInfo(
        Type type,
        string verb,
        string noun,
        string? defaultParameterSetName,
        bool supportsShouldProcess,
        string? confirmImpact,
        IReadOnlyList<string> outputTypeNames,
        IReadOnlyList<CmdletParameter> parameters)
    {
        Type = type;
        Verb = verb;
        Noun = noun;
        DefaultParameterSetName = defaultParameterSetName;
        SupportsShouldProcess = supportsShouldProcess;
        ConfirmImpact = confirmImpact;
        OutputTypeNames = outputTypeNames;
        Parameters = parameters;
        _all = parameters.ToList();
        if (supportsShouldProcess)
        {
            _all.Add(RiskMitigation("WhatIf", "wi"));
            _all.Add(RiskMitigation("Confirm", "cf"));
        }

        ParameterSetNames = ComputeSetNames();
    }

    /// <summary>The cmdlet class (a type of the MetadataLoadContext that read it).</summary>
    public Type Type { get; }

    /// <summary>The verb from [Cmdlet].</summary>
    public string Verb { get; }

    /// <summary>The noun from [Cmdlet].</summary>
    public string Noun { get; }

    /// <summary>Verb-Noun.</summary>
    public string Name => Verb + "-" + Noun;

    /// <summary>[Cmdlet(DefaultParameterSetName = ...)].</summary>
    public string? DefaultParameterSetName { get; }

    /// <summary>[Cmdlet(HelpUri = ...)]: where Get-Help -Online goes; null when not given.</summary>
    public string? HelpUri { get; init; }

    /// <summary>[Cmdlet(SupportsShouldProcess = true)].</summary>
    public bool SupportsShouldProcess { get; }

    /// <summary>[Cmdlet(ConfirmImpact = ...)] by name, when given.</summary>
    public string? ConfirmImpact { get; }

    /// <summary>Full names of the [OutputType] types.</summary>
    public IReadOnlyList<string> OutputTypeNames { get; }

    /// <summary>The parameters the class declares, in declaration order (no common parameters).</summary>
    public IReadOnlyList<CmdletParameter> Parameters { get; }

    /// <summary>The declared parameters, then -WhatIf and -Confirm when the cmdlet supports ShouldProcess.</summary>
    public IReadOnlyList<CmdletParameter> AllParameters => _all;

    /// <summary>The parameter sets as PowerShell builds them: the default first, then in order of appearance.</summary>
    public IReadOnlyList<string> ParameterSetNames { get; }

    /// <summary>The parameter set PowerShell treats as the default, or null when there is no named default.</summary>
    public string? EffectiveDefaultSet =>
        DefaultParameterSetName is { Length: > 0 } name && ParameterSetNames.Contains(name) ? name : null;

    /// <summary>The named parameter, or null.</summary>
    public CmdletParameter? Parameter(string name) =>
        _all.FirstOrDefault(parameter => string.Equals(parameter.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The sets <paramref name="parameter"/> belongs to, in <see cref="ParameterSetNames"/> order.</summary>
    public IReadOnlyList<string> SetsOf(CmdletParameter parameter) =>
        ParameterSetNames.Where(set => parameter.In(set) is not null).ToList();

    /// <summary>The parameters of one set in display order: positional by position, then mandatory named, then the rest.</summary>
    public IReadOnlyList<CmdletParameter> DisplayOrder(string setName)
    {
        var members = _all.Where(parameter => parameter.In(setName) is not null).ToList();
        var positional = members.Where(parameter => parameter.In(setName)!.Position is not null)
            .OrderBy(parameter => parameter.In(setName)!.Position)
            .ToList();
        var mandatory = members.Where(parameter => parameter.In(setName)!.Position is null && parameter.In(setName)!.Mandatory);
        var optional = members.Where(parameter => parameter.In(setName)!.Position is null && !parameter.In(setName)!.Mandatory);
        return positional.Concat(mandatory).Concat(optional).ToList();
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private List<string> ComputeSetNames()
    {
        var names = new List<string>();
        if (DefaultParameterSetName is { Length: > 0 } defaultName)
        {
            names.Add(defaultName);
        }

        foreach (var declaration in Parameters.SelectMany(parameter => parameter.Declarations))
        {
            if (declaration.SetName != AllParameterSets && !names.Contains(declaration.SetName))
            {
                names.Add(declaration.SetName);
            }
        }

        if (names.Count == 0)
        {
            names.Add(AllParameterSets);
        }

        return names;
    }

    private static CmdletParameter RiskMitigation(string name, string alias) => new(
        name,
        "SwitchParameter",
        "System.Management.Automation.SwitchParameter",
        new[] { alias },
        supportsWildcards: false,
        new[] { new ParameterDeclaration(AllParameterSets, false, null, false, false, false, null, false) },
        isRiskMitigation: true);
}

/// <summary>The common parameters PowerShell adds to every cmdlet, and the ones ShouldProcess adds.</summary>
public static class CommonParameters
{
    /// <summary>Added to every cmdlet (ProgressAction since PowerShell 7.4), with their aliases.</summary>
    public static readonly IReadOnlyDictionary<string, string> Always = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Verbose"] = "vb",
        ["Debug"] = "db",
        ["ErrorAction"] = "ea",
        ["WarningAction"] = "wa",
        ["InformationAction"] = "infa",
        ["ProgressAction"] = "proga",
        ["ErrorVariable"] = "ev",
        ["WarningVariable"] = "wv",
        ["InformationVariable"] = "iv",
        ["OutVariable"] = "ov",
        ["OutBuffer"] = "ob",
        ["PipelineVariable"] = "pv",
    };

    /// <summary>Added by SupportsShouldProcess (and the transaction one that PowerShell 7 still reserves).</summary>
    public static readonly IReadOnlyDictionary<string, string> Optional = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "wi",
        ["Confirm"] = "cf",
        ["UseTransaction"] = "usetx",
    };

    /// <summary>Every name and alias a cmdlet must not declare for a parameter of its own.</summary>
    public static IEnumerable<string> ReservedNamesAndAliases =>
        Always.Concat(Optional).SelectMany(pair => new[] { pair.Key, pair.Value });

    /// <summary>The sentence platyPS writes under ### CommonParameters (ProgressAction included, as PowerShell 7.4+ has it).</summary>
    public const string Paragraph =
        "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, " +
        "-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, " +
        "and -WarningVariable. For more information, see " +
        "[about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).";
}
