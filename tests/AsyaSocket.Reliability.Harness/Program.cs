using System.Globalization;
using AsyaSocket.Reliability.Fuzz;
using AsyaSocket.Reliability.Load;
using AsyaSocket.Reliability.Peers;

// The reliability harness. Verbs:
//
//   fuzz [--cases N] [--seed S] [--first I] [--concurrency C] [--read-timeout-ms T] [--cap BYTES] [--hold-rate F]
//       N random byte sequences (default 1,000,000), each on its own connection, against a live SocketListener;
//       every case is checked against the protocol (FuzzRunner). Exit 0 when every case passed.
//       Case I of seed S is always the same: `fuzz --seed S --first I --cases 1` replays one.
//   load [--senders N] [--messages M] [--min B] [--max B] [--buffer K] [--pause-every P] [--seed S]
//       N senders x M messages of log-uniform sizes (default 16 x 10,000, 64 B to 1 MiB) into one listener whose
//       consumer is slower; the senders run in a child process. Prints LOAD-RESULT. Exit 0 when all checks passed.
//   load-send <mesh> <actor> --senders N --messages M --min B --max B --seed S      (the child of `load`)
//   midframe <mesh> <actor> <declared> <written>     a raw sender that stops mid-frame and waits to be killed
//   send <mesh> <actor> <size> [--dial-attempts N] [--dial-interval-ms N] [--ack-timeout-ms N]
//   listen <mesh> <actor> [--mode OCTAL] [--force] [--memory]   (--memory: a zero-length message prints MEMORY <rss> <peak>)
//
// Every verb accepts --deadline-ms N (default 30 minutes for fuzz and load, 60 s for the peers): past it the process
// exits with code 124, so a peer a test forgot can never stay behind for long.
var positional = new List<string>();
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i].StartsWith("--", StringComparison.Ordinal))
    {
        var name = args[i][2..];
        options[name] = name is "force" or "memory" or "pooled" ? "true" : i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{name} needs a value");
    }
    else
    {
        positional.Add(args[i]);
    }
}

string Arg(int index) => index < positional.Count ? positional[index] : throw new ArgumentException($"argument {index} is missing; see the top of Program.cs");
int IntArg(int index) => int.Parse(Arg(index), CultureInfo.InvariantCulture);
long Long(string name, long fallback) => options.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;
int Int(string name, int fallback) => (int)Long(name, fallback);
double Double(string name, double fallback) => options.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

var verb = positional.Count > 0 ? positional[0] : "help";
if (positional.Count > 0)
{
    positional.RemoveAt(0);
}

var heavy = verb is "fuzz" or "load" or "load-send";
var deadline = Long("deadline-ms", heavy ? 30 * 60_000 : 60_000);
using var selfDeadline = new Timer(_ =>
{
    Console.Error.WriteLine($"HARNESS-DEADLINE after {deadline} ms");
    Environment.Exit(124);
}, null, deadline, Timeout.Infinite);

switch (verb)
{
    case "fuzz":
    {
        var fuzz = new FuzzRunOptions
        {
            Cases = Long("cases", 1_000_000),
            Seed = Int("seed", 1),
            FirstCase = Long("first", 0),
            Concurrency = Int("concurrency", 32),
            ReadTimeout = TimeSpan.FromMilliseconds(Int("read-timeout-ms", 1000)),
            MaxBodyLength = Int("cap", 128 * 1024),
            HoldOpenRate = Double("hold-rate", 0.005),
            PooledBodies = options.ContainsKey("pooled"),
        };
        var report = await FuzzRunner.RunAsync(fuzz, line => Console.WriteLine("progress: " + line));
        foreach (var line in report.Describe(fuzz))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine(report.Passed ? "FUZZ-RESULT pass" : "FUZZ-RESULT fail");
        return report.Passed ? 0 : 1;
    }

    case "load":
        return await LoadRun.RunAsync(new LoadOptions
        {
            Senders = Int("senders", 16),
            Messages = Int("messages", 10_000),
            MinSize = Int("min", 64),
            MaxSize = Int("max", 1024 * 1024),
            BufferCapacity = Int("buffer", 64),
            ConsumerPauseEvery = Int("pause-every", 2),
            Seed = Int("seed", 1),
        });

    case "load-send":
        return await LoadSenders.RunAsync(Arg(0), Arg(1), Int("senders", 16), Int("messages", 10_000), Int("min", 64), Int("max", 1024 * 1024), Int("seed", 1));

    case "midframe":
        return await PeerVerbs.MidFrameAsync(Arg(0), Arg(1), IntArg(2), IntArg(3));

    case "send":
        return await PeerVerbs.SendAsync(Arg(0), Arg(1), IntArg(2), Int("dial-attempts", 3), Int("dial-interval-ms", 50), Int("ack-timeout-ms", 10_000));

    case "listen":
        return await PeerVerbs.ListenAsync(Arg(0), Arg(1), options.GetValueOrDefault("mode"), options.ContainsKey("force"), options.ContainsKey("memory"));

    default:
        Console.Error.WriteLine("usage: fuzz | load | load-send | midframe | send | listen (see the top of Program.cs)");
        return 64;
}
