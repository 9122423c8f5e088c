namespace AsyaSocket.Module.Tests;

/// <summary>Listeners are real PowerShell jobs: the engine's own job cmdlets find, read, stop and remove them.</summary>
public sealed class JobTests(ModuleSession session) : MeshTest(session)
{
    [Fact]
    public void Get_Receive_Stop_and_Remove_Job_work_on_a_listener()
    {
        var results = Run("""
            $null = Start-AsyaListener -Actor inbox -MeshPath $mesh -Name job-test
            $job = Get-Job -Name job-test
            $job.PSJobTypeName
            Send-AsyaMessage -Actor inbox -MeshPath $mesh -Payload 'via job'
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not $job.HasMoreData -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            (Receive-Job -Job $job).Payload
            Stop-Job -Job $job
            $job.State.ToString()
            Remove-Job -Job $job
            @(Get-Job -Name job-test -ErrorAction SilentlyContinue).Count
            @(Get-AsyaListener | Where-Object Name -eq job-test).Count
            """);

        Assert.False(string.IsNullOrEmpty(results[0].ToString()), "The listener job has no PSJobTypeName.");
        Assert.Equal("via job", results[1].BaseObject);
        Assert.Equal("Stopped", results[2].BaseObject);
        Assert.Equal([0, 0], results.Skip(3).Select(count => Convert.ToInt32(count.BaseObject)));
        Assert.Empty(Mesh.Entries());
    }
}
