using System.Diagnostics;
using System.Globalization;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// A .NET sender's timed phase: every exchange's latency (connect to ack) for <c>seconds</c> from creation, and the
/// RESULT line the C peer prints too. Used as <c>do { var before = Stopwatch.GetTimestamp(); exchange; } while (log.Add(before));</c>.
/// </summary>
internal sealed class LatencyLog
{
    private readonly List<long> _latencies = new(1 << 16);
    private readonly long _started;
    private readonly long _stop;
    private long _last;

    public LatencyLog(double seconds)
    {
        _started = _last = Stopwatch.GetTimestamp();
        _stop = _started + (long)(seconds * Stopwatch.Frequency);
    }

    /// <summary>Records the exchange that began at <paramref name="before"/> and ended now; false once the time is up.</summary>
    public bool Add(long before)
    {
        _last = Stopwatch.GetTimestamp();
        _latencies.Add(_last - before);
        return _last < _stop;
    }

    /// <summary>The RESULT line: rate, p50 and p99 over the timed phase, and how long the warm-up took.</summary>
    public string Result(string impl, int size, double warmSeconds)
    {
        _latencies.Sort();
        double Micros(double quantile) => _latencies[(int)(quantile * (_latencies.Count - 1))] * 1e6 / Stopwatch.Frequency;
        var seconds = (_last - _started) / (double)Stopwatch.Frequency;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT impl={impl} size={size} msgs={_latencies.Count} secs={seconds:F3} msgs_per_s={_latencies.Count / seconds:F1} p50_us={Micros(0.50):F2} p99_us={Micros(0.99):F2} warm_s={warmSeconds:F2}");
    }
}
