using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using AsyaSocket.Core.Envelopes;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// <c>limit</c>: the transport against the machine's limit, in one interleaved run. For every body size and
/// repetition it runs C→C, Core→Core, Core→C and C→Core (sender and receiver in separate processes; the C peer is
/// <c>bench/limit/uds_peer.c</c>; and Core→Core and C→Core again with pooled bodies and with inline delivery; and the
/// bare .NET peers of <see cref="BarePeers"/>, the runtime's own floor), in an order that rotates per repetition, so
/// machine load lands on every pair alike; each figure is reported as the median over repetitions and as the median ratio to the C→C of the same
/// repetition. With <c>--cmdlets</c>, each repetition also runs the cmdlets (through pwsh) against the C peer,
/// beside Core→C and C→Core with the same envelope body.
/// </summary>
internal static class LimitRun
{
    public const string Verb = "limit";

    private const string Actor = "limit";
    // "pooled": the Core receiver lends pooled bodies (PooledBodies) to a consumer that disposes each message;
    // "inline": its consumer runs on the listener's thread (InlineDelivery), without a hand-over to the thread pool;
    // "explicit": the consumer acknowledges each message (AckPolicy.Explicit), the ack after the consumer, as Receive-AsyaMessage;
    // "small-gen0": the default receiver in a process whose GC collects gen0 every 6 MiB (ReceiverEnvironment), not at the
    // budget it sizes from the L3 cache the CPU reports (80 MiB on the 2-vCPU VM, whose CPU reports 260 MiB);
    // "loh-2mib": the receiver's process allocates arrays under 2 MiB in gen0 instead of the large object heap
    // (ReceiverEnvironment), so a 1 MiB body dies with the next gen0 collection instead of paying for a full one;
    // "backpressure": the buffer holds one message, so most messages wait for room before their ack (a slow consumer's case).
    // "Bare": the C peer's loops in C# with nothing else (BarePeers), what the runtime itself costs; "fresh": the bare
    // receiver reads every body into a new array, as the core's default receiver does.
    private static readonly string[] Pairs = ["C→C", "Bare→Bare", "Bare→C", "C→Bare", "C→Bare fresh", "Core→Core", "Core→Core pooled", "Core→Core inline", "Core→C", "C→Core", "C→Core pooled", "C→Core inline", "C→Core inline explicit", "C→Core small-gen0", "C→Core backpressure",
        "C→Bare fresh loh-2mib", "Core→Core loh-2mib", "C→Core loh-2mib", "C→Core inline loh-2mib", "C→Core inline small-gen0 loh-2mib"];

    // Words of a pair's name that set the receiver's environment instead of being passed to it.
    private static readonly Dictionary<string, KeyValuePair<string, string>> ReceiverEnvironment = new()
    {
        ["small-gen0"] = new("DOTNET_GCgen0size", "600000"), // hexadecimal, as every DOTNET_GC setting: 6 MiB
        ["loh-2mib"] = new("DOTNET_GCLOHThreshold", "200000"), // 2 MiB, above the largest body of the run
    };

    public static int Run(string[] args)
    {
        var sizes = new[] { 64, 1024, 64 * 1024, 1024 * 1024 };
        var seconds = 2.0;
        var warmup = 0.5;
        var repetitions = 3;
        var count = 10000;
        string? peer = null;
        string? cmdlets = null;
        var placement = Placement.Same;
        var pairs = Pairs;
        string[] unknownPairs = [];
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--sizes": sizes = value.Split(',').Select(int.Parse).ToArray(); break;
                case "--secs": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--reps": repetitions = int.Parse(value); break;
                case "--count": count = int.Parse(value); break;
                case "--peer": peer = value; break;
                case "--cmdlets": cmdlets = value; break;
                case "--placement": placement = Placement.Parse(value); break;
                case "--pairs": (pairs, unknownPairs) = ParsePairs(value); break;
                default:
                    Console.Error.WriteLine("usage: limit --peer UDS_PEER [--placement same|split|free] [--cmdlets SCRIPT.ps1] [--sizes 64,1024,65536,1048576] [--secs 2] [--warmup 0.5] [--reps 3] [--count 10000] [--pairs \"C→C,Core→Core,...\"]");
                    return 2;
            }
        }

        if (unknownPairs.Length > 0)
        {
            Console.Error.WriteLine($"limit: no pair is called {string.Join(" or ", unknownPairs.Select(p => $"'{p}'"))}; --pairs takes a comma-separated list of: {string.Join(", ", Pairs)}.");
            return 2;
        }

        if (peer is null || !File.Exists(peer))
        {
            Console.Error.WriteLine("limit: --peer must name the compiled bench/limit/uds_peer.c (bench/limit.sh builds it).");
            return 2;
        }

        placement.ApplyJitPolicy();
        var mesh = Directory.CreateTempSubdirectory("asya-limit");
        try
        {
            var envelopeFile = Path.Join(mesh.FullName, "envelope.json");
            File.WriteAllBytes(envelopeFile, AsyaEnvelope.Create([Actor], JsonDocument.Parse("{\"n\":1}").RootElement).ToUtf8Bytes());
            var envelopeSize = (int)new FileInfo(envelopeFile).Length;
            var run = new Runner(peer, mesh.FullName, seconds, warmup, placement);
            var samples = new List<Sample>();
            var cmdletSamples = new List<CmdletSample>();
            Console.Error.WriteLine($"// load before: {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.Error.WriteLine($"// placement {placement.Name}: {placement.Describe()}");
            for (var rep = 0; rep < repetitions; rep++)
            {
                foreach (var size in sizes)
                {
                    for (var k = 0; k < pairs.Length; k++)
                    {
                        var pair = pairs[(k + rep) % pairs.Length];
                        samples.Add(run.Pair(pair, size, rep, bodyFile: null));
                    }
                }

                if (cmdlets is not null)
                {
                    samples.Add(run.Pair("Core→C", envelopeSize, rep, envelopeFile));
                    cmdletSamples.Add(run.Cmdlets(cmdlets, count, envelopeFile));
                    samples.Add(run.Pair("C→Core", envelopeSize, rep, envelopeFile));
                }
            }

            Console.Error.WriteLine($"// load after: {File.ReadAllText("/proc/loadavg").Trim()}");
            Print(samples.Where(s => s.BodyFile is null).ToList(), pairs, sizes, repetitions, placement);
            if (cmdlets is not null)
            {
                PrintCmdlets(samples.Where(s => s.BodyFile is not null).ToList(), cmdletSamples, envelopeSize);
            }

            return 0;
        }
        finally
        {
            mesh.Delete(recursive: true);
        }
    }

    // A subset of the pairs for a quicker look, in the usual order; C→C always runs, as every ratio is taken to it.
    private static (string[] Pairs, string[] Unknown) ParsePairs(string list)
    {
        var chosen = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return (Pairs.Where(p => p == "C→C" || chosen.Contains(p)).ToArray(), chosen.Except(Pairs).ToArray());
    }

    private static void Print(List<Sample> samples, string[] pairs, int[] sizes, int repetitions, Placement placement)
    {
        Console.WriteLine();
        Console.WriteLine($"Median of {repetitions} interleaved repetitions, {placement.Describe()}; ratio = median over repetitions of (pair msgs/s ÷ C→C msgs/s in the same repetition).");
        Console.WriteLine();
        Console.WriteLine("| body | pair | msgs/s | ratio to C→C | p50 µs | p99 µs | p99 ÷ C→C p99 | .NET receiver peak RSS (files mapped) |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var c = samples.Where(s => s.Size == size && s.Pair == "C→C").OrderBy(s => s.Repetition).ToList();
            foreach (var pair in pairs)
            {
                var mine = samples.Where(s => s.Size == size && s.Pair == pair).OrderBy(s => s.Repetition).ToList();
                var ratio = Median(mine.Zip(c, (m, b) => m.Rate / b.Rate));
                var p99Ratio = Median(mine.Zip(c, (m, b) => m.P99 / b.P99));
                var peak = mine.Where(s => s.RssKib > 0).MaxBy(s => s.RssKib);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {Size(size)} | {pair} | {Median(mine.Select(s => s.Rate)):N0} | {ratio:F2} | {Median(mine.Select(s => s.P50)):F1} | {Median(mine.Select(s => s.P99)):F1} | {p99Ratio:F2} | {(peak is null ? "" : $"{peak.RssKib / 1024:F0} MiB ({peak.FileKib / 1024:F0})")} |"));
            }
        }

        // What the peaks are made of: the runtime's files, then garbage up to the GC's budget before it collects.
        Console.WriteLine();
        foreach (var (pair, budgets) in samples.Where(s => s.Gen0BudgetKib > 0).GroupBy(s => s.Pair.Contains("small-gen0", StringComparison.Ordinal) ? "small-gen0" : "the others")
            .Select(g => (g.Key, g.Select(s => s.Gen0BudgetKib / 1024).Distinct().Order().ToArray())))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC gen0 budget of the .NET receivers ({pair}): {string.Join(", ", budgets.Select(b => $"{b:F0} MiB"))}."));
        }
    }

    private static void PrintCmdlets(List<Sample> core, List<CmdletSample> cmdlets, int envelopeSize)
    {
        var coreSend = core.Where(s => s.Pair == "Core→C").OrderBy(s => s.Repetition).ToList();
        var coreReceive = core.Where(s => s.Pair == "C→Core").OrderBy(s => s.Repetition).ToList();
        Console.WriteLine();
        Console.WriteLine($"Cmdlets, {envelopeSize}-byte envelopes, against the C peer, after the script's warm-up; cold = the first run after Import-Module; ratio = median over repetitions of (cmdlet ÷ core in the same repetition).");
        Console.WriteLine();
        Console.WriteLine("| path | cmdlet msgs/s | core msgs/s | cmdlet ÷ core | cold msgs/s | cold ÷ core |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        Row("`Send-AsyaMessage` in a pipeline → C, vs Core→C", coreSend, c => c.Send, c => c.SendCold);
        Row("C → `Receive-AsyaMessage -Count`, vs C→Core", coreReceive, c => c.Receive, c => c.ReceiveCold);

        void Row(string path, List<Sample> baseline, Func<CmdletSample, double> warm, Func<CmdletSample, double> cold) =>
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {path} | {Median(cmdlets.Select(warm)):N0} | {Median(baseline.Select(s => s.Rate)):N0} | {Median(cmdlets.Zip(baseline, (c, s) => warm(c) / s.Rate)):F2} | {Median(cmdlets.Select(cold)):N0} | {Median(cmdlets.Zip(baseline, (c, s) => cold(c) / s.Rate)):F2} |"));
    }

    private static string Size(int size) => size switch
    {
        >= 1 << 20 when size % (1 << 20) == 0 => $"{size >> 20} MiB",
        >= 1 << 10 when size % (1 << 10) == 0 => $"{size >> 10} KiB",
        _ => $"{size} B",
    };

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record CmdletSample(double Send, double Receive, double SendCold, double ReceiveCold);

    // RssKib: the receiver's peak RSS; FileKib: the part of it that is files mapped; Gen0BudgetKib: its GC's gen0 budget.
    private sealed record Sample(string Pair, int Size, int Repetition, string? BodyFile, double Rate, double P50, double P99, double RssKib, double FileKib = -1, double Gen0BudgetKib = -1);

    private sealed class Runner(string peer, string mesh, double seconds, double warmup, Placement placement)
    {
        private readonly string _socket = Path.Join(mesh, Actor + MeshDirectory.SocketExtension);
        private readonly string _warmFile = Path.Join(mesh, Actor + ".warm");

        public Sample Pair(string pair, int size, int repetition, string? bodyFile)
        {
            File.Delete(_socket);
            var words = pair.Split(' ');
            var (senderImpl, receiverImpl) = words[0].Split('→') is [var from, var to] ? (from, to) : throw new ArgumentException($"'{pair}' names no sender→receiver.");
            var dotnetReceives = receiverImpl != "C";
            var modes = words[1..].Where(word => !ReceiverEnvironment.ContainsKey(word)).ToArray();
            var environment = words[1..].Where(ReceiverEnvironment.ContainsKey).Select(word => ReceiverEnvironment[word]).ToDictionary();
            // A .NET receiver says when it stopped compiling; the sender warms up until then (JitQuiet).
            File.Delete(_warmFile);
            var warming = dotnetReceives ? new Dictionary<string, string> { ["LIMIT_WARM_FILE"] = _warmFile } : null;
            if (warming is not null)
            {
                environment = environment.Concat(warming).ToDictionary();
            }

            var receiving = receiverImpl switch
            {
                "Core" => PeerProcess.SelfCommand([CorePeers.ReceiveVerb, mesh, Actor, .. modes]),
                "Bare" => PeerProcess.SelfCommand([BarePeers.ReceiveVerb, mesh, Actor, .. modes]),
                _ => (peer, ["recv", _socket]),
            };
            using var receiver = PeerProcess.Start(Placement.Pinned(placement.ReceiverCpu, receiving.FileName, receiving.Args), environment);
            var timing = new[] { size.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture), warmup.ToString(CultureInfo.InvariantCulture) };
            var tail = bodyFile is null ? timing : [.. timing, bodyFile];
            string result;
            var sending = senderImpl switch
            {
                "Core" => PeerProcess.SelfCommand([CorePeers.SendVerb, mesh, Actor, .. tail]),
                "Bare" when bodyFile is null => PeerProcess.SelfCommand([BarePeers.SendVerb, mesh, Actor, .. timing]),
                "Bare" => throw new ArgumentException($"{pair}: the bare sender sends the C peer's alphabet body only, not a body file."),
                _ => (peer, ["send", _socket, .. tail]),
            };
            using (var sender = PeerProcess.Start(Placement.Pinned(placement.SenderCpu, sending.FileName, sending.Args), warming))
            {
                result = sender.Output.ReadToEnd();
                if (!sender.WaitForExit(TimeSpan.FromSeconds(60)) || !result.Contains("RESULT", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{pair} {size}: the sender failed: {sender.Describe()}");
                }
            }

            Stop();
            var rss = -1.0;
            var files = -1.0;
            var budget = -1.0;
            var live = -1.0;
            if (dotnetReceives)
            {
                var report = receiver.Output.ReadToEnd();
                rss = Field(report, "peak_kib");
                files = Field(report, "file_kib");
                budget = Field(report, "gen0_budget_kib");
                live = Field(report, "live_kib");
            }

            receiver.WaitForExit(TimeSpan.FromSeconds(10));
            var sample = new Sample(pair, size, repetition, bodyFile, Field(result, "msgs_per_s"), Field(result, "p50_us"), Field(result, "p99_us"), rss, files, budget);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// rep {repetition + 1} {pair,-16} {size,8} B: {sample.Rate,9:F0} msgs/s p50 {sample.P50,7:F1} µs p99 {sample.P99,8:F1} µs warm {Field(result, "warm_s"):F1} s{(rss > 0 ? $" rss {rss / 1024:F0} MiB ({files / 1024:F0} MiB files, gen0 budget {budget / 1024:F0} MiB, {live:F0} KiB live at the end)" : "")}"));
            return sample;
        }

        public CmdletSample Cmdlets(string script, int count, string envelopeFile)
        {
            File.Delete(_socket);
            // The shell on the sender's CPU, its C peer on the receiver's: both on CPU 0 with "same", apart with "split".
            using var pwsh = PeerProcess.Start(Placement.Pinned(placement.SenderCpu, "dotnet", [
                "pwsh", "-NoProfile", "-File", script, "-Peer", peer, "-MeshPath", mesh, "-Count", count.ToString(CultureInfo.InvariantCulture), "-BodyFile", envelopeFile,
                "-PeerCpu", (placement.ReceiverCpu ?? -1).ToString(CultureInfo.InvariantCulture)]));
            var output = pwsh.Output.ReadToEnd();
            if (!pwsh.WaitForExit(TimeSpan.FromMinutes(5)) || !output.Contains("CMDLETS", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the cmdlet measurement failed: {pwsh.Describe()} {output}");
            }

            var sample = new CmdletSample(Field(output, "send_per_s"), Field(output, "receive_per_s"), Field(output, "send_cold_per_s"), Field(output, "receive_cold_per_s"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// cmdlets: Send-AsyaMessage {sample.Send:F0} msgs/s (cold {sample.SendCold:F0}), Receive-AsyaMessage {sample.Receive:F0} msgs/s (cold {sample.ReceiveCold:F0})"));
            return sample;
        }

        private void Stop()
        {
            try
            {
                RawFrames.SendSync(new UnixDomainSocketEndPoint(_socket), RawFrames.Frame(0));
            }
            catch (Exception error) when (error is SocketException or InvalidOperationException)
            {
            }
        }

        private static double Field(string text, string name)
        {
            var start = text.LastIndexOf(name + "=", StringComparison.Ordinal);
            if (start < 0)
            {
                return double.NaN;
            }

            start += name.Length + 1;
            var end = start;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            return double.Parse(text.AsSpan(start, end - start), CultureInfo.InvariantCulture);
        }
    }
}
