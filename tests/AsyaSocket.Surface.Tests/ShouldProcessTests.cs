namespace AsyaSocket.Surface.Tests;

/// <summary>
/// SupportsShouldProcess (-WhatIf/-Confirm) where a cmdlet changes the world, and nowhere else: a read-only cmdlet
/// offering -WhatIf suggests it might change something.
/// </summary>
public sealed class ShouldProcessTests
{
    /// <summary>
    /// Verbs whose cmdlets change state: Send delivers a message, Start binds sockets, Stop closes listeners and
    /// deletes their socket files, Receive binds (and may replace) an actor's socket, Invoke (Invoke-AsyaFlow)
    /// sends an envelope and binds the sink and sump.
    /// </summary>
    public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "Send", "Start", "Stop", "Receive", "Invoke",
    };

    /// <summary>Verbs whose cmdlets only read (Get, Test) or build objects in memory (New-AsyaEnvelope sends nothing).</summary>
    public static readonly IReadOnlySet<string> ReadOnlyVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "Get", "Test", "New",
    };

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Verb_is_classified(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        Assert.True(
            StateChangingVerbs.Contains(cmdlet.Verb) || ReadOnlyVerbs.Contains(cmdlet.Verb),
            $"{cmdlet.Name}: the verb '{cmdlet.Verb}' is new to the module; add it to {nameof(StateChangingVerbs)} or {nameof(ReadOnlyVerbs)} in {nameof(ShouldProcessTests)} so its ShouldProcess support is checked.");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void State_changing_cmdlets_support_ShouldProcess(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        if (StateChangingVerbs.Contains(cmdlet.Verb))
        {
            Assert.True(
                cmdlet.SupportsShouldProcess,
                $"{cmdlet.Name} ({cmdlet.Type.FullName}) changes state but its [Cmdlet] lacks SupportsShouldProcess = true, so -WhatIf and -Confirm do not work.");
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Read_only_cmdlets_do_not_support_ShouldProcess(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        if (ReadOnlyVerbs.Contains(cmdlet.Verb))
        {
            Assert.False(
                cmdlet.SupportsShouldProcess,
                $"{cmdlet.Name} ({cmdlet.Type.FullName}) only reads, yet its [Cmdlet] says SupportsShouldProcess = true; remove it (and any ShouldProcess call).");
        }
    }
}
