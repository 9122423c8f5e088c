using System.Management.Automation;
using AsyaSocket.Testing;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Error records from real failures over real sockets, as a script sees them in $Error or Should -Throw -ErrorId:
/// the stable id before the comma of FullyQualifiedErrorId, a real category, the target, and the fix when known.
/// </summary>
public sealed class ErrorRecordTests(ModuleSession session) : MeshTest(session)
{
    private const string Quick = "-RetryCount 1 -RetryIntervalMs 0";

    [Fact]
    public void A_missing_actor_is_SocketNotFound_for_each_item_and_the_pipeline_goes_on()
    {
        // Non-terminating: try/catch does not see it, the next statement runs.
        var result = Try($"try {{ 'a', 'b' | Send-AsyaMessage -Actor missing -MeshPath $mesh {Quick}; 'after' }} catch {{ 'caught' }}");

        Assert.Equal(["after"], result.Output.Select(item => item.ToString()));
        Assert.Null(result.Terminating);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, error => AssertRecord(error, "SocketNotFound", ErrorCategory.ObjectNotFound, "missing", hasFix: true));
    }

    [Fact]
    public void A_socket_file_nobody_listens_on_is_ConnectionRefused()
    {
        Unix.CreateStaleSocket(Mesh.SocketPath("stale"));
        var error = Try($"Send-AsyaMessage -Actor stale -MeshPath $mesh -Payload 1 {Quick}").Errors.Single();
        AssertRecord(error, "ConnectionRefused", ErrorCategory.ConnectionError, "stale", hasFix: true);
        File.Delete(Mesh.SocketPath("stale"));
    }

    [Fact]
    public void A_receiver_that_never_acks_is_AckTimeout()
    {
        using var silent = new RawServer(Mesh.SocketPath("silent"));
        var error = Try($"Send-AsyaMessage -Actor silent -MeshPath $mesh -Payload 1 -TimeoutSec 0.3 {Quick}").Errors.Single();
        AssertRecord(error, "AckTimeout", ErrorCategory.OperationTimeout, "silent", hasFix: true);
        File.Delete(Mesh.SocketPath("silent"));
    }

    [Theory]
    [InlineData(new byte[] { 0x02 }, "UnexpectedAck", ErrorCategory.ProtocolError)]
    [InlineData(new byte[0], "PeerClosedBeforeAck", ErrorCategory.ConnectionError)]
    public async Task A_receiver_that_answers_wrongly_is_a_protocol_or_connection_error(byte[] reply, string id, ErrorCategory category)
    {
        using var peer = new RawServer(Mesh.SocketPath("odd"));
        var answer = Task.Run(async () =>
        {
            using var connection = await peer.AcceptAsync();
            await RawServer.ReadFrameAsync(connection);
            await Raw.SendAllAsync(connection, reply);
        });

        var error = Try($"Send-AsyaMessage -Actor odd -MeshPath $mesh -Payload 1 {Quick}").Errors.Single();
        await answer.Within();
        AssertRecord(error, id, category, "odd", hasFix: null);
        File.Delete(Mesh.SocketPath("odd"));
    }

    [Fact]
    public void A_missing_mesh_directory_is_MeshDirectoryNotFound()
    {
        var error = Try($"Send-AsyaMessage -Actor a -MeshPath (Join-Path $mesh none) -Payload 1 {Quick}").AllErrors.Single();
        AssertRecord(error, "MeshDirectoryNotFound", ErrorCategory.ObjectNotFound, target: null, hasFix: true);
    }

    [Fact]
    public void A_socket_path_over_the_limit_is_SocketPathTooLong()
    {
        var error = Try($"Send-AsyaMessage -Actor ('x' * 120) -MeshPath $mesh -Payload 1 {Quick}").AllErrors.Single();
        AssertRecord(error, "SocketPathTooLong", ErrorCategory.InvalidArgument, new string('x', 120), hasFix: null);
    }

    [Fact]
    public void Text_that_is_not_an_envelope_is_InvalidEnvelope()
    {
        var error = Try($"Send-AsyaMessage -Envelope '{{not json' -MeshPath $mesh {Quick}").AllErrors.Single();
        AssertRecord(error, "InvalidEnvelope", ErrorCategory.InvalidData, target: null, hasFix: null);
    }

    [Fact]
    public void Listening_on_a_live_actor_is_SocketInUse_and_the_script_goes_on()
    {
        // Binding concerns this one actor name: a non-terminating error (-ErrorAction decides), nothing received.
        var result = Try("""
            $null = Start-AsyaListener -Actor busy -MeshPath $mesh
            Receive-AsyaMessage -Actor busy -MeshPath $mesh -Count 1 -TimeoutSec 5
            'reached'
            """);

        Assert.Null(result.Terminating);
        AssertRecord(result.Errors.Single(), "SocketInUse", ErrorCategory.ResourceExists, "busy", hasFix: true);
        Assert.Equal("reached", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void A_file_in_the_way_of_a_socket_is_NotASocket_and_is_kept()
    {
        File.WriteAllText(Mesh.SocketPath("plain"), "keep me");
        var error = Try("Receive-AsyaMessage -Actor plain -MeshPath $mesh -Count 1 -TimeoutSec 5").AllErrors.Single();
        AssertRecord(error, "NotASocket", ErrorCategory.InvalidType, "plain", hasFix: null);
        Assert.Equal("keep me", File.ReadAllText(Mesh.SocketPath("plain")));
        File.Delete(Mesh.SocketPath("plain"));
    }

    [Fact]
    public void Too_few_messages_in_time_is_ReceiveTimeout()
    {
        var error = Try("Receive-AsyaMessage -Actor quiet -MeshPath $mesh -Count 1 -TimeoutSec 0.2").Errors.Single();
        AssertRecord(error, "ReceiveTimeout", ErrorCategory.OperationTimeout, "quiet", hasFix: true);
    }

    [Fact]
    public void Listener_names_are_unique_and_looked_up_by_name()
    {
        var taken = Try("""
            $null = Start-AsyaListener -Actor a -MeshPath $mesh -Name twin
            Start-AsyaListener -Actor b -MeshPath $mesh -Name twin
            """).AllErrors.Single();
        AssertRecord(taken, "ListenerNameInUse", ErrorCategory.ResourceExists, "twin", hasFix: true);

        var missing = Try("Stop-AsyaListener -Name nobody").Errors.Single();
        AssertRecord(missing, "ListenerNotFound", ErrorCategory.ObjectNotFound, "nobody", hasFix: true);
    }

    [Fact]
    public void A_flow_that_never_reaches_the_sink_is_FlowTimeout()
    {
        // -TimeoutSec bounds the first hop's ack too: long enough that a loaded machine still acks within it.
        var error = Try("""
            $null = Start-AsyaListener -Actor holds -MeshPath $mesh
            Invoke-AsyaFlow -Route holds -Payload 1 -MeshPath $mesh -TimeoutSec 2
            """).AllErrors.Single();
        AssertRecord(error, "FlowTimeout", ErrorCategory.OperationTimeout, target: null, hasFix: true);
    }

    [Fact]
    public void The_engine_validates_arguments_before_the_cmdlet_runs()
    {
        var error = Try("Send-AsyaMessage -Actor a -MeshPath $mesh -Payload 1 -RetryCount 0").AllErrors.Single();
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
    }

    /// <summary>
    /// The record's id (the part of FullyQualifiedErrorId before the comma), category, target and recommended action.
    /// <paramref name="target"/> null skips the target check; <paramref name="hasFix"/> null skips the action check.
    /// </summary>
    private static void AssertRecord(ErrorRecord error, string id, ErrorCategory category, object? target, bool? hasFix)
    {
        var summary = ModuleSession.Describe(error);
        Assert.True(error.FullyQualifiedErrorId.StartsWith(id + ",", StringComparison.Ordinal), $"Expected id {id}; got {summary}");
        Assert.True(error.CategoryInfo.Category == category, $"Expected category {category}; got {summary}");
        if (target is not null)
        {
            Assert.Equal(target, error.TargetObject is PSObject wrapped ? wrapped.BaseObject : error.TargetObject);
        }

        Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message), $"No message: {summary}");
        if (hasFix is { } expected)
        {
            var action = error.ErrorDetails?.RecommendedAction;
            Assert.True(string.IsNullOrWhiteSpace(action) != expected, $"Expected {(expected ? "a" : "no")} recommended action; got '{action}' on {summary}");
        }
    }
}
