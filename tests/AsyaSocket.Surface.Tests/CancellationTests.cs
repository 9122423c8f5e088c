using System.Reflection;
using AsyaSocket.HelpBuilder;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// Cmdlets that block (send and wait for an ack, listen, probe, bind) must stop on Ctrl+C and release their sockets:
/// they derive from AsyaCmdlet, which cancels its token in StopProcessing and disposes in Dispose (PowerShell calls
/// IDisposable.Dispose on cmdlets; EndProcessing is skipped after a stop).
/// </summary>
public sealed class CancellationTests
{
    /// <summary>
    /// Verbs whose cmdlets block: Send waits for acks, Receive for messages, Start binds listeners, Invoke
    /// (Invoke-AsyaFlow) sends and then waits at the sink.
    /// </summary>
    public static readonly IReadOnlySet<string> BlockingVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "Send", "Receive", "Start", "Invoke",
    };

    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static TheoryData<string> BlockingCmdlets
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var cmdlet in ModuleUnderTest.Instance.Cmdlets.Where(IsBlocking))
            {
                data.Add(cmdlet.Name);
            }

            return data;
        }
    }

    /// <summary>Send, Receive, Start, and any cmdlet with a -Probe (Test-AsyaMesh connects when asked to).</summary>
    public static bool IsBlocking(CmdletInfo cmdlet) =>
        BlockingVerbs.Contains(cmdlet.Verb) || cmdlet.Parameter("Probe") is not null;

    [Fact]
    public void The_blocking_cmdlets_are_found()
    {
        var names = ModuleUnderTest.Instance.Cmdlets.Where(IsBlocking).Select(cmdlet => cmdlet.Name).ToList();
        foreach (var expected in new[] { "Send-AsyaMessage", "Receive-AsyaMessage", "Start-AsyaListener", "Test-AsyaMesh" })
        {
            Assert.True(names.Contains(expected), $"{expected} should be classed as blocking; found: {string.Join(", ", names)}.");
        }
    }

    [Theory]
    [MemberData(nameof(BlockingCmdlets))]
    public void Blocking_cmdlet_derives_from_AsyaCmdlet(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var chain = Chain(cmdlet.Type).Select(type => type.FullName).ToList();
        Assert.True(
            chain.Contains(ModuleUnderTest.CmdletBaseName),
            $"{cmdlet.Name} ({cmdlet.Type.FullName}) blocks but does not derive from {ModuleUnderTest.CmdletBaseName} (its chain: {string.Join(" -> ", chain)}), so Ctrl+C cannot cancel it.");
        Assert.True(
            chain.Contains("System.Management.Automation.PSCmdlet"),
            $"{cmdlet.Name} ({cmdlet.Type.FullName}) does not derive from PSCmdlet (its chain: {string.Join(" -> ", chain)}).");
    }

    [Theory]
    [MemberData(nameof(BlockingCmdlets))]
    public void Blocking_cmdlet_is_disposable(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        Assert.True(
            cmdlet.Type.GetInterfaces().Any(type => type.FullName == "System.IDisposable"),
            $"{cmdlet.Name} ({cmdlet.Type.FullName}) does not implement IDisposable, so its sockets are not released after a stop.");
    }

    [Theory]
    [MemberData(nameof(BlockingCmdlets))]
    public void Nothing_between_the_cmdlet_and_its_base_hides_StopProcessing(string name)
    {
        var cmdlet = ModuleUnderTest.Instance.Cmdlet(name);
        var problems = new List<string>();
        var moduleTypes = Chain(cmdlet.Type)
            .TakeWhile(type => type.FullName != ModuleUnderTest.CmdletBaseName)
            .Where(type => type.Assembly == cmdlet.Type.Assembly);
        foreach (var type in moduleTypes)
        {
            foreach (var method in type.GetMethods(Declared).Where(method => method.Name == "StopProcessing"))
            {
                if (!IsOverride(method))
                {
                    problems.Add($"{type.FullName} declares a StopProcessing that hides the base's (new, not override): Ctrl+C would no longer cancel {cmdlet.Name}.");
                }
            }
        }

        ModuleUnderTest.AssertNone(problems, "StopProcessing hidden");
    }

    [Fact]
    public void AsyaCmdlet_overrides_StopProcessing()
    {
        var type = CmdletBase();
        var method = type.GetMethods(Declared).SingleOrDefault(candidate => candidate.Name == "StopProcessing" && candidate.GetParameters().Length == 0);
        Assert.True(method is not null, $"{type.FullName} does not declare StopProcessing: Ctrl+C would not cancel its token.");
        Assert.True(IsOverride(method!), $"{type.FullName}.StopProcessing is not an override of Cmdlet.StopProcessing (is it 'new'?).");

        // MetadataLoadContext has no GetBaseDefinition: find the virtual StopProcessing up the chain by hand.
        var overridden = Chain(type.BaseType!)
            .SelectMany(candidate => candidate.GetMethods(Declared).Where(baseMethod => baseMethod.Name == "StopProcessing" && baseMethod.GetParameters().Length == 0))
            .FirstOrDefault(baseMethod => baseMethod.IsVirtual);
        Assert.True(
            overridden?.DeclaringType?.FullName == "System.Management.Automation.Cmdlet",
            $"{type.FullName}.StopProcessing overrides {overridden?.DeclaringType?.FullName ?? "nothing"}.StopProcessing, expected System.Management.Automation.Cmdlet's.");
    }

    [Fact]
    public void AsyaCmdlet_implements_IDisposable_with_a_public_Dispose()
    {
        var type = CmdletBase();
        Assert.True(type.IsAbstract, $"{type.FullName} should be abstract: it is a base, not a cmdlet.");
        Assert.True(
            type.GetInterfaces().Any(candidate => candidate.FullName == "System.IDisposable"),
            $"{type.FullName} does not implement IDisposable; PowerShell disposes cmdlets that do, which is where sockets must be closed after a stop.");
        Assert.True(
            type.GetMethod("Dispose", BindingFlags.Instance | BindingFlags.Public, Type.EmptyTypes) is not null,
            $"{type.FullName} has no public Dispose().");
    }

    private static Type CmdletBase() =>
        ModuleUnderTest.Instance.Assembly.Assembly.GetType(ModuleUnderTest.CmdletBaseName, throwOnError: false)
        ?? throw new Xunit.Sdk.XunitException($"{ModuleUnderTest.CmdletBaseName} is not in AsyaSocket.dll.");

    private static IEnumerable<Type> Chain(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    // An override reuses the base's vtable slot; a 'new virtual' method gets a new one.
    private static bool IsOverride(MethodInfo method) =>
        method.IsVirtual && (method.Attributes & MethodAttributes.NewSlot) == 0;
}
