using System.Diagnostics;
using System.Globalization;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// <c>paired</c>: the round-trip comparison again, outside BenchmarkDotNet, with the baseline and the core
/// interleaved in short alternating batches. BenchmarkDotNet measures one case after the other, so on a machine
/// other people are loading, a burst of their work lands on one case and not on its baseline; here both sides
/// see the same load, and the median of the per-round ratios is what the 15% target is judged on.
/// It runs the very methods of <see cref="RoundTripBenchmarks"/> against the same receiver.
/// </summary>
internal static class Paired
{
    public const string Verb = "paired";

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = new[] { 64, 1024, 64 * 1024, 1024 * 1024 };
        var rounds = 100;
        var batch = 100;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sizes":
                    sizes = args[i + 1].Split(',').Select(int.Parse).ToArray();
                    break;
                case "--rounds":
                    rounds = int.Parse(args[i + 1]);
                    break;
                case "--batch":
                    batch = int.Parse(args[i + 1]);
                    break;
                default:
                    Console.Error.WriteLine("usage: paired [--sizes 64,1024,65536,1048576] [--rounds 100] [--batch 100]");
                    return 2;
            }
        }

        Console.WriteLine("| Size | RawAsync µs (median) | Core µs (median) | Core/RawAsync (median of rounds) | RawAsync B/msg | Core B/msg |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var bench = new RoundTripBenchmarks { Size = size };
            bench.Setup();
            try
            {
                var raw = new List<(double Micros, double Bytes)>();
                var core = new List<(double Micros, double Bytes)>();
                // Warm up both sides: the first size also waits out tiered JIT compilation.
                var warmUntil = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * (size == sizes[0] ? 3 : 1) / 2);
                while (Stopwatch.GetTimestamp() < warmUntil)
                {
                    await MeasureAsync(bench.RawAsync, batch);
                    await MeasureAsync(bench.Core, batch);
                }

                for (var round = 0; round < rounds; round++)
                {
                    // Alternate which side goes first, so neither always follows the other.
                    if (round % 2 == 0)
                    {
                        raw.Add(await MeasureAsync(bench.RawAsync, batch));
                        core.Add(await MeasureAsync(bench.Core, batch));
                    }
                    else
                    {
                        core.Add(await MeasureAsync(bench.Core, batch));
                        raw.Add(await MeasureAsync(bench.RawAsync, batch));
                    }
                }

                var ratio = Median(raw.Zip(core, (r, c) => c.Micros / r.Micros));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {size} | {Median(raw.Select(r => r.Micros)):F1} | {Median(core.Select(c => c.Micros)):F1} | {ratio:F3} | {Median(raw.Select(r => r.Bytes)):F0} | {Median(core.Select(c => c.Bytes)):F0} |"));
            }
            finally
            {
                bench.Cleanup();
            }
        }

        return 0;
    }

    private static async Task<(double Micros, double Bytes)> MeasureAsync(Func<Task> operation, int count)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await operation().ConfigureAwait(false);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        return (elapsed.TotalMicroseconds / count, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)count);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
