using System.Diagnostics;
using System.Management.Automation;
using AsyaSocket.Testing;
using Xunit.Abstractions;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Ctrl+C: PowerShell.Stop() of a blocked cmdlet returns within a second, and what it held is released.
/// </summary>
public sealed class StopTests(ModuleSession session, ITestOutputHelper output) : MeshTest(session)
{
    [Fact]
    public void Stopping_a_blocked_Receive_returns_within_a_second_and_removes_its_socket()
    {
        var elapsed = StopWhenBlocked("Receive-AsyaMessage -Actor blocked -MeshPath $args[0]", () => File.Exists(Mesh.SocketPath("blocked")));
        Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
        Assert.DoesNotContain("blocked.sock", Mesh.Entries());
    }

    [Fact]
    public void Stopping_a_Receive_that_waits_on_a_listener_returns_within_a_second()
    {
        Run("$null = Start-AsyaListener -Actor slow -MeshPath $mesh -Name slow");
        var elapsed = StopWhenBlocked("Get-AsyaListener -Name slow | Receive-AsyaMessage -Count 5");
        Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public void Stopping_a_Send_that_retries_a_missing_actor_returns_within_a_second()
    {
        var elapsed = StopWhenBlocked("Send-AsyaMessage -Actor missing -MeshPath $args[0] -Payload 1");
        Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public void Stopping_a_Send_that_waits_for_an_ack_returns_within_a_second()
    {
        // Never accepted: the connection completes from the backlog and the frame fits in the socket buffer.
        using var silent = new RawServer(Mesh.SocketPath("silent"));
        var elapsed = StopWhenBlocked("Send-AsyaMessage -Actor silent -MeshPath $args[0] -Payload 1 -TimeoutSec 0");
        Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
        File.Delete(Mesh.SocketPath("silent"));
    }

    [Fact]
    public void Stopping_a_flow_that_waits_at_the_sink_returns_within_a_second_and_removes_its_sockets()
    {
        Run("$null = Start-AsyaListener -Actor holds -MeshPath $mesh");
        var elapsed = StopWhenBlocked(
            "Invoke-AsyaFlow -Route holds -Payload 1 -MeshPath $args[0] -SinkActor done -SumpActor failed -TimeoutSec 60",
            () => File.Exists(Mesh.SocketPath("done")));
        Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
        Assert.Equal(["holds.sock"], Mesh.Entries());
    }

    [Fact]
    public void Stopping_a_Receive_that_retries_an_unreachable_broker_returns_within_a_second()
    {
        // The sidecar's environment chooses RabbitMQ; port 1 on loopback refuses at once, so the start retries with
        // backoff for seconds unless it is stopped. The variables are the process's: restored whatever happens.
        string[] names = ["ASYA_TRANSPORT", "ASYA_RABBITMQ_URL", "ASYA_NAMESPACE"];
        var saved = names.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("ASYA_TRANSPORT", "rabbitmq");
            Environment.SetEnvironmentVariable("ASYA_RABBITMQ_URL", "amqp://127.0.0.1:1/");
            Environment.SetEnvironmentVariable("ASYA_NAMESPACE", "stop-test");
            var elapsed = StopWhenBlocked("Receive-AsyaMessage -Actor unreachable -Count 1 -TimeoutSec 60");
            Assert.True(elapsed < Bounds.Stop, $"Stop took {elapsed.TotalMilliseconds:0} ms.");
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>
    /// Invokes <paramref name="script"/> (with the mesh as $args[0]) on the class's runspace, waits until it runs and
    /// <paramref name="blocked"/> (if given) holds, gives the command time to settle into its wait, then times Stop().
    /// </summary>
    /// <remarks>
    /// A stop that comes while the engine is still starting the script can be lost, so the script first sets an event
    /// to say it runs. The error stream is read only once the command ended: enumerating an open PSDataCollection
    /// blocks until it is closed.
    /// </remarks>
    private TimeSpan StopWhenBlocked(string script, Func<bool>? blocked = null)
    {
        using var started = new ManualResetEventSlim();
        using var shell = Session.Shell("$args[1].Set()\n" + script, Mesh.Path, started);
        var running = shell.BeginInvoke();
        Assert.True(started.Wait(Bounds.Hang), "The script did not start.");
        Assert.True(SpinWait.SpinUntil(() => blocked?.Invoke() != false || running.IsCompleted, Bounds.Hang), "The command did not block.");
        Thread.Sleep(Bounds.Quiet);
        if (running.IsCompleted)
        {
            Assert.Fail("The command finished before it was stopped: " + string.Join("; ", shell.Streams.Error.Select(ModuleSession.Describe)));
        }

        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();
        output.WriteLine($"Stop() returned after {clock.Elapsed.TotalMilliseconds:0} ms.");
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
        return clock.Elapsed;
    }
}
