namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// One lowest-priority spinner (<c>uds_peer spin</c>) per CPU for the length of a run. On a VM an idle vCPU halts,
/// and the next wakeup (the other side of an exchange) then costs tens of microseconds: a blocking C pair pays it on
/// every message, a runtime whose threads spin before sleeping does not, so the yardstick would lose to the code it
/// measures. With every vCPU busy at nice 19, each side's wakeups are as cheap as on a loaded host, and the spinners
/// give way to any real work (bench/README.md, "The quiet machine").
/// </summary>
internal sealed class KeepAwake : IDisposable
{
    private readonly List<PeerProcess> _spinners;

    private KeepAwake(List<PeerProcess> spinners) => _spinners = spinners;

    public int Count => _spinners.Count;

    public static KeepAwake Start(string peer) =>
        new(Enumerable.Range(0, Environment.ProcessorCount).Select(_ => PeerProcess.Start(peer, ["spin"])).ToList());

    public void Dispose()
    {
        foreach (var spinner in _spinners)
        {
            spinner.Dispose();
        }
    }
}
