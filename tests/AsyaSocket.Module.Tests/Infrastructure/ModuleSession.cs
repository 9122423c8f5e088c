using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// The module keeps its listeners in one process-wide registry, and removing it in one runspace stops every listener
// in the process: test classes, each with its own runspace, must not run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AsyaSocket.Module.Tests;

/// <summary>What a script wrote: its output, its non-terminating errors, and the terminating error that ended it.</summary>
public sealed record ScriptResult(IReadOnlyList<PSObject> Output, IReadOnlyList<ErrorRecord> Errors, ErrorRecord? Terminating)
{
    /// <summary>Every error, non-terminating first, then the terminating one.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors => Terminating is null ? Errors : [.. Errors, Terminating];
}

/// <summary>
/// A real PowerShell runspace in this process (InitialSessionState.CreateDefault2, as pwsh starts) with the laid-out
/// module imported by its manifest path. One per test class (an xunit class fixture): disposing it stops and removes
/// the jobs the tests left, removes the module (which stops every listener) and closes the runspace. The execution
/// policy is never set: on Linux that throws.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    public ModuleSession()
    {
        Runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        Runspace.Open();
        Module = (PSModuleInfo)Run("Import-Module -Name $args[0] -PassThru -ErrorAction Stop", LaidOutModule.Manifest).Single().BaseObject;

        // The registry is process-wide: a listener another class left running would show up here.
        var leftOver = Run("Get-AsyaListener | ForEach-Object { \"$($_.Name) at $($_.Location)\" }");
        Assert.True(leftOver.Count == 0, $"Listeners left running by an earlier test class: {string.Join(", ", leftOver)}.");
    }

    public Runspace Runspace { get; }

    /// <summary>The imported module, as Import-Module -PassThru returned it.</summary>
    public PSModuleInfo Module { get; }

    /// <summary>Runs <paramref name="script"/> (in a local scope, <paramref name="arguments"/> as $args or its param block); fails the test on any error.</summary>
    public IReadOnlyList<PSObject> Run(string script, params object?[] arguments)
    {
        var result = Try(script, arguments);
        if (result.AllErrors.Count > 0)
        {
            Assert.Fail($"The script failed:\n{script}\n" + string.Join("\n", result.AllErrors.Select(Describe)));
        }

        return result.Output;
    }

    /// <summary>Runs <paramref name="script"/> and returns what it wrote, errors included, without judging.</summary>
    public ScriptResult Try(string script, params object?[] arguments)
    {
        using var shell = Shell(script, arguments);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException error)
        {
            return new ScriptResult([], shell.Streams.Error.ToList(), error.ErrorRecord);
        }

        return new ScriptResult(output.ToList(), shell.Streams.Error.ToList(), null);
    }

    /// <summary>A PowerShell instance on this runspace, ready to invoke <paramref name="script"/> (the caller disposes it).</summary>
    public PowerShell Shell(string script, params object?[] arguments)
    {
        var shell = PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script, useLocalScope: true);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        return shell;
    }

    /// <summary>An error record as a failure message names it.</summary>
    public static string Describe(ErrorRecord error) =>
        $"  {error.FullyQualifiedErrorId} ({error.CategoryInfo.Category}): {error.Exception.Message}";

    public void Dispose()
    {
        try
        {
            // Jobs the tests left (listeners, actors) first, then the module: its removal stops any listener left.
            Run("Get-Job | Remove-Job -Force; Get-Module -Name $args[0] | Remove-Module -Force -ErrorAction Stop", LaidOutModule.Name);
            var left = Run("Get-Command -Module $args[0]", LaidOutModule.Name);
            Assert.True(left.Count == 0, $"After Remove-Module, the runspace still has {string.Join(", ", left)}.");
        }
        finally
        {
            Runspace.Dispose();
        }
    }
}
