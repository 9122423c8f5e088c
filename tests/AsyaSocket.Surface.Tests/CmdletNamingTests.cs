namespace AsyaSocket.Surface.Tests;

/// <summary>
/// Class names that say which cmdlet they are, and one class per cmdlet: source conventions the engine does not see.
/// Verbs and nouns as PowerShell shows them are checked in tests/AsyaSocket.Module.Tests.
/// </summary>
public sealed class CmdletNamingTests
{
    public static TheoryData<string> Cmdlets => ModuleUnderTest.CmdletNames;

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
}
