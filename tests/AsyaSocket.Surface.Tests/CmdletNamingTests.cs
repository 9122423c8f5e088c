using System.Text.RegularExpressions;

namespace AsyaSocket.Surface.Tests;

/// <summary>Approved verbs, singular Asya nouns, class names that say which cmdlet they are.</summary>
public sealed partial class CmdletNamingTests
{
    /// <summary>
    /// PowerShell's approved verbs by group, as `Get-Verb` lists them in PowerShell 7.6 and as documented in
    /// "Approved Verbs for PowerShell Commands"
    /// (https://learn.microsoft.com/powershell/scripting/developer/cmdlet/approved-verbs-for-windows-powershell-commands):
    /// Common, Communications, Data, Diagnostic, Lifecycle, Security and Other.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> ApprovedVerbs = new Dictionary<string, string[]>
    {
        ["Common"] = new[]
        {
            "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move",
            "New", "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select",
            "Set", "Show", "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        },
        ["Communications"] = new[] { "Connect", "Disconnect", "Read", "Receive", "Send", "Write" },
        ["Data"] = new[]
        {
            "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit",
            "Expand", "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore",
            "Save", "Sync", "Unpublish", "Update",
        },
        ["Diagnostic"] = new[] { "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace" },
        ["Lifecycle"] = new[]
        {
            "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install",
            "Invoke", "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall",
            "Unregister", "Wait",
        },
        ["Security"] = new[] { "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect" },
        ["Other"] = new[] { "Use" },
    };

    // Plural endings that are still singular nouns (Status, Address, Analysis).
    private static readonly string[] SingularEndings = { "ss", "us", "is" };

    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

    [Fact]
    public void The_assembly_exports_cmdlets()
    {
        Assert.True(
            ModuleUnderTest.Instance.Cmdlets.Count > 0,
            "No public class with [Cmdlet] was found in AsyaSocket.dll: is the metadata reader looking at the right assembly?");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Verb_is_approved(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var group = ApprovedVerbs.FirstOrDefault(pair => pair.Value.Contains(cmdlet.Verb, StringComparer.Ordinal)).Key;
        Assert.True(
            group is not null,
            $"{cmdlet.Name} ({cmdlet.Type.FullName}) uses the verb '{cmdlet.Verb}', which is not an approved PowerShell verb (see Get-Verb); pick one of the approved verbs (Send/Receive: Communications, Start/Stop: Lifecycle, Test: Diagnostic, Get/New: Common).");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Noun_is_a_singular_Asya_noun(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        Assert.True(
            PascalNoun().IsMatch(cmdlet.Noun),
            $"{cmdlet.Name} ({cmdlet.Type.FullName}): the noun '{cmdlet.Noun}' must be 'Asya' followed by a PascalCase noun (AsyaMessage, AsyaListener).");
        var pluralLooking = cmdlet.Noun.EndsWith('s') && !SingularEndings.Any(ending => cmdlet.Noun.EndsWith(ending, StringComparison.Ordinal));
        Assert.False(
            pluralLooking,
            $"{cmdlet.Name} ({cmdlet.Type.FullName}): the noun '{cmdlet.Noun}' looks plural; PowerShell nouns are singular ({cmdlet.Noun.TrimEnd('s')}).");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Class_is_named_after_its_cmdlet(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var expected = cmdlet.Verb + cmdlet.Noun + "Command";
        Assert.True(
            cmdlet.Type.Name == expected,
            $"{cmdlet.Name} is declared by class {cmdlet.Type.FullName}; name it {expected} so the class says which cmdlet it is.");
    }

    [Fact]
    public void No_two_classes_declare_the_same_cmdlet()
    {
        var duplicates = ModuleUnderTest.Instance.Cmdlets
            .GroupBy(cmdlet => cmdlet.Name, StringComparer.OrdinalIgnoreCase)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(cmdlet => cmdlet.Type.FullName))}");
        ModuleUnderTest.AssertNone(duplicates, "Cmdlets declared by more than one class");
    }

    [GeneratedRegex("^Asya[A-Z][A-Za-z0-9]*$")]
    private static partial Regex PascalNoun();
}
