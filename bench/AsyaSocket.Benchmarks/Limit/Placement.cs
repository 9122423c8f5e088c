namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// Where a pair's two processes run. On this VM a wakeup across vCPUs costs about 30 µs (an inter-processor interrupt
/// through the hypervisor), a wakeup on the same vCPU a few: C→C is about 13,000 msgs/s split and 50,000-70,000 on
/// one vCPU, and unpinned it lands on either, run by run, whatever the code (bench/README.md, "Placement"). So every
/// pair is pinned alike: <c>same</c> (the default: both on CPU 0, the exchange's own cost), <c>split</c> (receiver on
/// CPU 0, sender on CPU 1: the cost with the hypervisor's wakeups), or <c>free</c> (the scheduler decides).
/// </summary>
internal sealed record Placement(string Name, int? ReceiverCpu, int? SenderCpu)
{
    public static readonly Placement Same = new("same", 0, 0);
    public static readonly Placement Split = new("split", 0, 1);
    public static readonly Placement Free = new("free", null, null);

    public static Placement Parse(string name) => name switch
    {
        "same" => Same,
        "split" => Split,
        "free" => Free,
        _ => throw new ArgumentException($"--placement is same, split or free, not '{name}'."),
    };

    public string Describe() => this switch
    {
        { ReceiverCpu: null } => "unpinned (the scheduler places both processes)",
        { ReceiverCpu: var r, SenderCpu: var s } when r == s => $"both processes pinned to CPU {r}",
        _ => $"receiver pinned to CPU {ReceiverCpu}, sender to CPU {SenderCpu}",
    };

    /// <summary>
    /// Undoes what pinning does to the runtime's JIT policy, for every .NET process this run starts. A process
    /// affinitized to one CPU waits ten times longer (TC_DelaySingleProcMultiplier, 10: 1 s instead of 100 ms) with
    /// no new method called before it counts calls and compiles hot code optimised, and a busy pipeline keeps
    /// calling one new method a second: a pinned PowerShell ran Send-AsyaMessage unoptimised for 11 s (19,000
    /// msgs/s, then 39,000), Receive-AsyaMessage for over 25 s. The machine itself has two CPUs, so the
    /// 100 ms a user's unpinned shell gets is the fair policy (bench/README.md, "Placement").
    /// </summary>
    public void ApplyJitPolicy()
    {
        if (ReceiverCpu is not null || SenderCpu is not null)
        {
            Environment.SetEnvironmentVariable("DOTNET_TC_DelaySingleProcMultiplier", "1");
        }
    }

    /// <summary><paramref name="fileName"/> and its arguments, run through taskset when pinned.</summary>
    public static (string FileName, IEnumerable<string> Args) Pinned(int? cpu, string fileName, IEnumerable<string> args) =>
        cpu is { } c ? ("taskset", ["-c", c.ToString(System.Globalization.CultureInfo.InvariantCulture), fileName, .. args]) : (fileName, args);
}
