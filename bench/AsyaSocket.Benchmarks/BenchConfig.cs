using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// The suite's configuration: one modest job, run in process, plus a messages-per-second column.
/// </summary>
/// <remarks>
/// Why in process: BenchmarkDotNet 0.14 predates .NET 10 (it has no <c>net10.0</c> runtime moniker), and its default
/// toolchain generates and builds a separate project for every run, which on a shared 2-core machine costs minutes
/// and picks up this repository's Directory.Build.props and central package management. The in-process emit
/// toolchain runs the benchmarks inside this (Release) process instead. That is sound here because every peer the
/// measured code talks to runs in a process of its own (the round-trip receiver, the throughput senders), so the
/// benchmark process holds only the code under test; and allocations (MemoryDiagnoser) are measured process-wide,
/// which in process means exactly the measured side.
/// <para>
/// The full suite (<c>--filter '*'</c>) takes about 3-4 minutes on a 2-vCPU machine with the default job below;
/// <c>--job short</c> (or <c>--job dry</c>) is a CI smoke mode of well under a minute per class. BenchmarkDotNet's own
/// <c>--job</c> option is ignored once a config defines a default job, so it is handled here.
/// </para>
/// </remarks>
internal static class BenchConfig
{
    public static bool TryCreate(string[] args, [NotNullWhen(true)] out IConfig? config, out string[] rest, [NotNullWhen(false)] out string? error)
    {
        var jobName = "default";
        var remaining = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--job" or "-j" && i + 1 < args.Length)
            {
                jobName = args[++i].ToLowerInvariant();
                continue;
            }

            remaining.Add(args[i]);
        }

        rest = remaining.ToArray();
        var job = jobName switch
        {
            // About 8 s per benchmark case: 3 warm-up and 15 measured iterations of 300 ms.
            "default" => Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(15)
                .WithIterationTime(TimeInterval.FromMilliseconds(300)),
            // CI smoke: proves every benchmark runs and its peers start and stop; the figures mean little.
            "short" => Job.Default
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithIterationTime(TimeInterval.FromMilliseconds(100)),
            "dry" => Job.Dry,
            _ => null,
        };
        if (job is null)
        {
            config = null;
            error = $"Unknown job '{jobName}': use default, short or dry.";
            return false;
        }

        job = job
            .WithLaunchCount(1)
            .WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithId(jobName == "default" ? "InProcess" : "InProcess-" + jobName)
            .AsDefault();
        config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddColumn(MessagesPerSecondColumn.Instance)
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        error = null;
        return true;
    }
}

/// <summary>Messages per second: one operation is one message (one round trip, or one received message).</summary>
internal sealed class MessagesPerSecondColumn : IColumn
{
    public static readonly MessagesPerSecondColumn Instance = new();

    public string Id => nameof(MessagesPerSecondColumn);

    public string ColumnName => "Msg/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Messages per second: 1 s / Mean (one operation is one message)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        summary[benchmarkCase]?.ResultStatistics is { Mean: > 0 } statistics
            ? (1e9 / statistics.Mean).ToString("N0", CultureInfo.InvariantCulture)
            : "NA";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
