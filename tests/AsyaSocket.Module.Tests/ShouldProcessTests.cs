namespace AsyaSocket.Module.Tests;

/// <summary>
/// -WhatIf where a cmdlet changes the world, and nowhere else; and with -WhatIf nothing is sent, bound or stopped.
/// </summary>
public sealed class ShouldProcessTests(ModuleSession session) : MeshTest(session)
{
    /// <summary>Verbs that change state: deliver a message, bind or replace a socket, stop a listener.</summary>
    public static readonly IReadOnlySet<string> StateChangingVerbs = new HashSet<string>(StringComparer.Ordinal) { "Send", "Start", "Stop", "Receive", "Invoke", "Connect", "Disconnect" };

    /// <summary>Verbs that only read (Get, Test) or build objects in memory (New-AsyaEnvelope sends nothing).</summary>
    public static readonly IReadOnlySet<string> ReadOnlyVerbs = new HashSet<string>(StringComparer.Ordinal) { "Get", "Test", "New" };

    [Fact]
    public void WhatIf_and_Confirm_exist_exactly_on_the_cmdlets_that_change_state()
    {
        var problems = new List<string>();
        foreach (var cmdlet in Run("Get-Command -Module AsyaSocket").Select(item => (System.Management.Automation.CmdletInfo)item.BaseObject))
        {
            var offers = cmdlet.Parameters.ContainsKey("WhatIf") && cmdlet.Parameters.ContainsKey("Confirm");
            if (StateChangingVerbs.Contains(cmdlet.Verb) && !offers)
            {
                problems.Add($"{cmdlet.Name} changes state but has no -WhatIf/-Confirm (SupportsShouldProcess).");
            }
            else if (ReadOnlyVerbs.Contains(cmdlet.Verb) && cmdlet.Parameters.ContainsKey("WhatIf"))
            {
                problems.Add($"{cmdlet.Name} only reads, yet offers -WhatIf.");
            }
            else if (!StateChangingVerbs.Contains(cmdlet.Verb) && !ReadOnlyVerbs.Contains(cmdlet.Verb))
            {
                problems.Add($"{cmdlet.Name}: the verb '{cmdlet.Verb}' is new; classify it in {nameof(ShouldProcessTests)}.");
            }
        }

        Problems.AssertNone(problems, "ShouldProcess");
    }

    [Fact]
    public void Send_with_WhatIf_delivers_nothing()
    {
        var counts = Run("""
            $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
            1, 2 | Send-AsyaMessage -Actor capture -MeshPath $mesh -WhatIf -PassThru
            Send-AsyaMessage -Actor capture -MeshPath $mesh -Text 'real'
            (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Text
            Start-Sleep -Milliseconds 300
            $capture.Received
            """);

        Assert.Equal("real", counts[0].BaseObject);
        Assert.Equal(1L, Convert.ToInt64(counts[1].BaseObject));
    }

    [Fact]
    public void Start_Receive_and_Invoke_with_WhatIf_bind_no_socket()
    {
        var output = Run("""
            Start-AsyaListener -Actor a -MeshPath $mesh -WhatIf
            Start-AsyaActor -Name b -MeshPath $mesh -Process { $_ } -WhatIf
            Receive-AsyaMessage -Actor c -MeshPath $mesh -Count 1 -TimeoutSec 5 -WhatIf
            Invoke-AsyaFlow -Route d -MeshPath $mesh -Payload 1 -TimeoutSec 5 -WhatIf
            @(Get-AsyaListener).Count
            @(Get-Job).Count
            """);

        Assert.Equal([0, 0], output.Select(item => Convert.ToInt32(item.BaseObject)));
        Assert.Empty(Mesh.Entries());
    }

    [Fact]
    public void Stop_with_WhatIf_leaves_the_listener_running()
    {
        var state = Run("""
            $job = Start-AsyaListener -Actor kept -MeshPath $mesh
            $job | Stop-AsyaListener -WhatIf
            Stop-AsyaListener -Name kept -WhatIf
            $job.State.ToString()
            """).Single().BaseObject;

        Assert.Equal("Running", state);
        Assert.True(Testing.Unix.IsSocket(Mesh.SocketPath("kept")));
    }
}
