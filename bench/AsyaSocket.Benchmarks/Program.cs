using System.Runtime.CompilerServices;
using AsyaSocket.Benchmarks;
using BenchmarkDotNet.Running;

// Three roles in one executable:
//   peer ...     a helper process the benchmarks start themselves (a raw receiver, a pool of raw senders);
//   limit ...    the transport against the C peer, every pair in one interleaved run (see Limit/LimitRun);
//   paired ...   the round-trip comparison with baseline and core interleaved (see Paired), for noisy machines;
//   rabbitmq ... the RabbitMQ transport against bare RabbitMQ.Client, interleaved the same way (see RabbitMqPaired);
//   otherwise    BenchmarkDotNet, with the suite's config (in-process toolchain, modest job; see BenchConfig).
if (args.Length > 0 && args[0] == Peers.Verb)
{
    return Peers.Run(args[1..]);
}

if (args.Length > 0 && args[0] == AsyaSocket.Benchmarks.Limit.LimitRun.Verb)
{
    return AsyaSocket.Benchmarks.Limit.LimitRun.Run(args[1..]);
}

if (args.Length > 0 && args[0] == Paired.Verb)
{
    return await Paired.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == RabbitMqPaired.Verb)
{
    return await RabbitMqPaired.RunAsync(args[1..]);
}

return RunBenchmarkDotNet(args);

// Apart from the top-level code, so the peers, which a limit run measures, never load BenchmarkDotNet: the JIT
// loads the assemblies of every type a method names when it compiles that method.
[MethodImpl(MethodImplOptions.NoInlining)]
static int RunBenchmarkDotNet(string[] args)
{
    if (!BenchConfig.TryCreate(args, out var config, out var rest, out var error))
    {
        Console.Error.WriteLine(error);
        return 2;
    }

    var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
    return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
}
