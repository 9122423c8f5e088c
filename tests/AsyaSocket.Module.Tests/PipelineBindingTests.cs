using System.Text;
using System.Text.Json;
using AsyaSocket.Testing;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// What PowerShell binds from the pipeline, by value and by property name, proved by what reaches a listener.
/// </summary>
public sealed class PipelineBindingTests(ModuleSession session) : MeshTest(session)
{
    [Fact]
    public void Any_value_piped_to_Send_AsyaMessage_is_the_payload_of_a_new_envelope()
    {
        var received = Run("""
            $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
            @{ order_id = 'A-1' }, 42, 'text' | Send-AsyaMessage -Actor capture -MeshPath $mesh
            Receive-AsyaMessage -Listener $capture -Count 3 -TimeoutSec 10 | ForEach-Object Text
            """).Select(body => JsonDocument.Parse(body.ToString()).RootElement).ToList();

        Assert.Equal(3, received.Count);
        Assert.Equal("A-1", received[0].GetProperty("payload").GetProperty("order_id").GetString());
        Assert.Equal(42, received[1].GetProperty("payload").GetInt32());
        Assert.Equal("text", received[2].GetProperty("payload").GetString());
        Assert.All(received, envelope => Assert.Equal("capture", envelope.GetProperty("route").GetProperty("curr").GetString()));
        Assert.Equal(3, received.Select(envelope => envelope.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public void Send_AsyaMessage_never_takes_Actor_Id_or_MeshPath_from_a_piped_object_s_properties()
    {
        // By value comes first: the object itself binds to -Payload (it takes any object). Its Actor, Id and
        // MeshPath properties are payload data: they must not choose the actor, the envelope id or the mesh.
        var output = Run("""
            $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
            $elsewhere = Start-AsyaListener -Actor elsewhere -MeshPath $mesh
            [pscustomobject]@{ Actor = 'elsewhere'; Id = 'by-name-1'; MeshPath = '/nonexistent'; order_id = 'A-7' } | Send-AsyaMessage -Actor capture -MeshPath $mesh
            (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Text
            $elsewhere.Received
            """);
        var envelope = JsonDocument.Parse(output[0].ToString()).RootElement;

        Assert.NotEqual("by-name-1", envelope.GetProperty("id").GetString());
        Assert.Equal("capture", envelope.GetProperty("route").GetProperty("curr").GetString());
        Assert.Equal("A-7", envelope.GetProperty("payload").GetProperty("order_id").GetString());
        Assert.Equal("elsewhere", envelope.GetProperty("payload").GetProperty("Actor").GetString());
        Assert.Equal("by-name-1", envelope.GetProperty("payload").GetProperty("Id").GetString());
        Assert.Equal(0L, Convert.ToInt64(output[1].BaseObject, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("""{"id":"e-1",  "route":{"prev":[],"curr":"inbox","next":["later"]},"payload":{"b":2,"a":1},"x-extra":true}""")]
    [InlineData("plain text, not an envelope")]
    public async Task Receive_piped_to_Send_with_another_Actor_replays_the_bytes_there(string body)
    {
        // The trap: a received message has Actor, Id, Payload and MeshPath properties, which could bind by property
        // name into a new envelope (or send it back to its own actor). It must be resent byte for byte to -Actor.
        Run("$null = Start-AsyaListener -Actor inbox -MeshPath $mesh; $null = Start-AsyaListener -Actor replay -MeshPath $mesh");
        Assert.Equal((ReplyKind.Ack, ReplyKind.Eof), await Raw.ExchangeAsync(Mesh.SocketPath("inbox"), Raw.Frame(Encoding.UTF8.GetBytes(body))));

        var replayed = Run("""
            Get-AsyaListener -Name inbox | Receive-AsyaMessage -Count 1 -TimeoutSec 10 | Send-AsyaMessage -Actor replay
            Get-AsyaListener -Name replay | Receive-AsyaMessage -Count 1 -TimeoutSec 10
            Get-AsyaListener -Name inbox | ForEach-Object Received
            """);

        var message = (dynamic)replayed[0];
        Assert.Equal(body, Encoding.UTF8.GetString((byte[])message.Body));
        Assert.Equal("replay", (string)message.Actor);
        Assert.Equal(1L, replayed[1].BaseObject);
    }

    [Fact]
    public void A_received_message_carries_its_mesh_into_the_send_by_property_name()
    {
        // No -MeshPath on the send: the message's MeshPath property binds, so the replay stays in the test's mesh.
        var replayed = Run("""
            $inbox = Start-AsyaListener -Actor inbox -MeshPath $mesh
            $replay = Start-AsyaListener -Actor replay -MeshPath $mesh
            Send-AsyaMessage -Actor inbox -MeshPath $mesh -Payload 'hop'
            Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10 | Send-AsyaMessage -Actor replay -RetryCount 1
            (Receive-AsyaMessage -Listener $replay -Count 1 -TimeoutSec 10).Payload
            """);

        Assert.Equal("hop", replayed.Single().BaseObject);
    }

    [Fact]
    public void An_envelope_from_New_AsyaEnvelope_is_sent_as_it_is_to_its_route()
    {
        var envelope = JsonDocument.Parse(Run("""
            $capture = Start-AsyaListener -Actor first -MeshPath $mesh
            New-AsyaEnvelope -Route first, second -Payload @{ k = 'v' } -Id 'env-1' | Send-AsyaMessage -MeshPath $mesh
            (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Text
            """).Single().ToString()).RootElement;

        Assert.Equal("env-1", envelope.GetProperty("id").GetString());
        Assert.Equal("first", envelope.GetProperty("route").GetProperty("curr").GetString());
        Assert.Equal("second", envelope.GetProperty("route").GetProperty("next")[0].GetString());
        Assert.Equal("v", envelope.GetProperty("payload").GetProperty("k").GetString());
    }

    [Fact]
    public void Listener_jobs_pipe_into_the_cmdlets_that_take_them()
    {
        var results = Run("""
            $null = Start-AsyaListener -Actor one -MeshPath $mesh -Name first-listener
            $null = Start-AsyaListener -Actor two -MeshPath $mesh -Name second-listener
            Send-AsyaMessage -Actor one -MeshPath $mesh -Payload 1
            # By value: a listener job into Receive-AsyaMessage -Listener and into Stop-AsyaListener.
            (Get-AsyaListener -Name first-listener | Receive-AsyaMessage -Count 1 -TimeoutSec 10).Payload
            # By property name: Name into Get-AsyaListener; Actor and MeshPath into Test-AsyaMesh.
            ([pscustomobject]@{ Name = 'second-listener' } | Get-AsyaListener).Name
            (Get-AsyaListener -Name second-listener | Test-AsyaMesh | Where-Object Actor -eq 'two' | Select-Object -First 1).Path
            $stopped = Get-AsyaListener -Name first-listener | Stop-AsyaListener -PassThru
            $stopped.State.ToString()
            @(Get-AsyaListener).Count
            """);

        Assert.Equal(1L, Convert.ToInt64(results[0].BaseObject));
        Assert.Equal("second-listener", results[1].BaseObject);
        Assert.Equal(Mesh.SocketPath("two"), results[2].BaseObject);
        Assert.Equal("Stopped", results[3].BaseObject);
        Assert.Equal(1, Convert.ToInt32(results[4].BaseObject));
        Assert.DoesNotContain("one.sock", Mesh.Entries());
    }

    [Fact]
    public void A_message_piped_to_Test_AsyaMesh_checks_the_actor_it_came_to()
    {
        var checks = Run("""
            $inbox = Start-AsyaListener -Actor inbox -MeshPath $mesh
            Send-AsyaMessage -Actor inbox -MeshPath $mesh -Payload 1
            Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10 | Test-AsyaMesh | ForEach-Object { "$($_.Actor)|$($_.Status)" }
            """).Select(check => check.ToString()).ToList();

        Assert.Contains("inbox|Pass", checks);
        Assert.All(checks.Where(check => !check.StartsWith('|')), check => Assert.StartsWith("inbox|", check, StringComparison.Ordinal));
    }
}
