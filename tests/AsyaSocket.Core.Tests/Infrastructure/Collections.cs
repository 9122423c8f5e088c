namespace AsyaSocket.Core.Tests;

/// <summary>
/// Tests that load the machine (100 MiB frames, 16 000 messages) or measure a latency bound run in this collection:
/// one at a time, after the parallel tests, so neither disturbs the other on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Serial
{
    public const string Name = "Serial (heavy or latency-bound)";
}
