using System.Management.Automation;

namespace AsyaSocket.Module.Tests;

/// <summary>Tab completion as the engine computes it: CommandCompletion.CompleteInput, and TabExpansion2 which shells call.</summary>
public sealed class CompletionTests(ModuleSession session) : MeshTest(session)
{
    [Fact]
    public void Actor_names_complete_from_the_socket_files_in_MeshPath()
    {
        Run("$null = Start-AsyaListener -Actor orders, order-audit, payments -MeshPath $mesh -Name completion-test");

        Assert.Equal(["order-audit", "orders"], Complete($"Send-AsyaMessage -MeshPath {Mesh.Path} -Actor ord").Order(StringComparer.Ordinal));
        Assert.Equal(["payments"], Complete($"Test-AsyaMesh -MeshPath {Mesh.Path} -Actor pay"));
        Assert.Equal(["payments"], Complete($"Receive-AsyaMessage -MeshPath {Mesh.Path} -Actor pa"));
        Assert.Equal(new[] { "order-audit", "orders", "payments" }, Complete($"Invoke-AsyaFlow -MeshPath {Mesh.Path} -Route ").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Actor_names_complete_from_ASYA_SOCKET_MESH_DIR_without_MeshPath()
    {
        Run("$null = Start-AsyaListener -Actor payments -MeshPath $mesh");
        var saved = Environment.GetEnvironmentVariable("ASYA_SOCKET_MESH_DIR");
        try
        {
            Environment.SetEnvironmentVariable("ASYA_SOCKET_MESH_DIR", Mesh.Path);
            Assert.Equal(["payments"], Complete("Send-AsyaMessage -Actor pa"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASYA_SOCKET_MESH_DIR", saved);
        }
    }

    [Fact]
    public void Listener_names_complete_for_Get_and_Stop()
    {
        Run("$null = Start-AsyaListener -Actor a -MeshPath $mesh -Name completion-one; $null = Start-AsyaListener -Actor b -MeshPath $mesh -Name other");

        Assert.Equal(["completion-one"], Complete("Stop-AsyaListener -Name compl"));
        Assert.Equal(["completion-one"], Complete("Get-AsyaListener -Name compl"));
    }

    [Fact]
    public void TabExpansion2_the_function_the_shells_call_completes_the_same()
    {
        Run("$null = Start-AsyaListener -Actor orders -MeshPath $mesh");
        var line = $"Send-AsyaMessage -MeshPath {Mesh.Path} -Actor or";
        var matches = Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", line);
        Assert.Equal(["orders"], matches.Select(match => match.ToString()));
    }

    [Fact]
    public void A_missing_mesh_completes_nothing_and_does_not_throw()
    {
        Assert.Empty(Complete($"Send-AsyaMessage -MeshPath {Mesh.Path}/none -Actor x"));
    }

    [Fact]
    public void Parameter_and_command_names_complete_as_the_engine_knows_them()
    {
        Assert.Equal(["-RetryCount", "-RetryIntervalSec"], Complete("Send-AsyaMessage -Retry"));
        Assert.Contains("Send-AsyaMessage", Complete("Send-Asya"));
    }

    private List<string> Complete(string line)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = Session.Runspace;
        return CommandCompletion.CompleteInput(line, line.Length, null, shell).CompletionMatches.Select(match => match.CompletionText).ToList();
    }
}
