namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Tests that load the machine or assert a latency bound run here: one at a time, after the parallel tests, so
/// neither disturbs the other on a 2-core machine (and allocation counts see only the test's own work).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "Serial (heavy, latency or allocation bound)";
}
