using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Which parameter set PowerShell picks from what a user types, proved by what reaches a listener: positions, the
/// raw-body sets, an envelope given whole, and the errors for an ambiguous or incomplete command line.
/// </summary>
public sealed class ParameterSetTests(ModuleSession session) : MeshTest(session)
{
    [Fact]
    public void Positional_arguments_are_the_actor_and_the_payload()
    {
        var envelope = JsonDocument.Parse(Run("""
            $capture = Start-AsyaListener capture -MeshPath $mesh
            Send-AsyaMessage capture @{ n = 5 } -MeshPath $mesh
            (Receive-AsyaMessage $capture -Count 1 -TimeoutSec 10).Text
            """).Single().ToString()).RootElement;

        Assert.Equal("capture", envelope.GetProperty("route").GetProperty("curr").GetString());
        Assert.Equal(5, envelope.GetProperty("payload").GetProperty("n").GetInt32());
    }

    [Fact]
    public void Text_and_Body_send_the_frame_byte_for_byte()
    {
        var bodies = Run("""
            $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
            Send-AsyaMessage -Actor capture -MeshPath $mesh -Text '{"not":"wrapped"}'
            Send-AsyaMessage -Actor capture -MeshPath $mesh -Body ([byte[]](0, 255, 10))
            Send-AsyaMessage -Actor capture -MeshPath $mesh -Text ''
            Receive-AsyaMessage -Listener $capture -Count 3 -TimeoutSec 10 | ForEach-Object { , $_.Body }
            """).Select(body => (byte[])body.BaseObject).ToList();

        Assert.Equal(Encoding.UTF8.GetBytes("""{"not":"wrapped"}"""), bodies[0]);
        Assert.Equal(new byte[] { 0, 255, 10 }, bodies[1]);
        Assert.Empty(bodies[2]);
    }

    [Fact]
    public void An_envelope_given_as_JSON_goes_to_its_route()
    {
        var envelope = JsonDocument.Parse(Run("""
            $capture = Start-AsyaListener -Actor second -MeshPath $mesh
            Send-AsyaMessage -MeshPath $mesh -Envelope '{"id":"json-1","route":{"prev":["first"],"curr":"second","next":[]},"payload":[1,2]}'
            (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Text
            """).Single().ToString()).RootElement;

        Assert.Equal("json-1", envelope.GetProperty("id").GetString());
        Assert.Equal("first", envelope.GetProperty("route").GetProperty("prev")[0].GetString());
        Assert.Equal(2, envelope.GetProperty("payload").GetArrayLength());
    }

    [Fact]
    public void Two_raw_bodies_at_once_are_an_ambiguous_parameter_set()
    {
        var error = Try("Send-AsyaMessage -Actor a -MeshPath $mesh -Text x -Body ([byte[]](1))").AllErrors.Single();
        Assert.StartsWith("AmbiguousParameterSet,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
    }

    [Fact]
    public void A_missing_mandatory_parameter_is_an_error_not_a_prompt_in_a_host_without_a_user()
    {
        // A CI script must fail at once rather than wait for someone to type the actor's name.
        var error = Try("Receive-AsyaMessage -MeshPath $mesh -Count 1").AllErrors.Single();
        Assert.Contains("Actor", error.Exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
        Assert.Empty(Mesh.Entries());
    }
}
