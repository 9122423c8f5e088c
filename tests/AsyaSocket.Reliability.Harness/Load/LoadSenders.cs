using System.Diagnostics;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Reliability.Load;

/// <summary>
/// The sending side of the load run, in its own process so the listener's memory is measured alone: N concurrent
/// senders, each sending its M bodies one after the other (each waits for its ack), with the core's SocketSender.
/// Prints "SENDER s acked n errors e first-error", then "SENT ..." with the totals and latency percentiles.
/// </summary>
public static class LoadSenders
{
    public static async Task<int> RunAsync(string meshPath, string actor, int senders, int messages, int min, int max, int seed)
    {
        var mesh = new MeshDirectory(meshPath);
        var latencies = new double[senders][];
        var errors = new int[senders];
        var firstErrors = new string?[senders];
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            var socketSender = new SocketSender(mesh, new SendOptions { AckTimeout = TimeSpan.FromMinutes(2) });
            var own = latencies[sender] = new double[messages];
            for (var index = 0; index < messages; index++)
            {
                var body = LoadBody.Create(seed, sender, index, LoadBody.Size(seed, sender, index, min, max));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await socketSender.SendAsync(actor, body).ConfigureAwait(false);
                    Interlocked.Add(ref bytes, body.Length);
                }
                catch (AsyaTransportException error)
                {
                    errors[sender]++;
                    firstErrors[sender] ??= $"{index}: {error.Kind}: {error.Message}";
                }
                catch (Exception error)
                {
                    // Anything else is a bug in the sender; report it rather than die unheard.
                    errors[sender]++;
                    firstErrors[sender] ??= $"{index}: unexpected {error.GetType().Name}: {error.Message}";
                }

                own[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }))).ConfigureAwait(false);
        var elapsed = clock.Elapsed;

        for (var sender = 0; sender < senders; sender++)
        {
            Console.WriteLine($"SENDER {sender} acked {messages - errors[sender]} errors {errors[sender]} {firstErrors[sender]}");
        }

        var all = latencies.SelectMany(values => values).Order().ToArray();
        Console.WriteLine(FormattableString.Invariant(
            $"SENT messages {all.Length} bytes {bytes} seconds {elapsed.TotalSeconds:0.00} p50-ms {Percentile(all, 0.50):0.00} p99-ms {Percentile(all, 0.99):0.00} max-ms {all[^1]:0.00} errors {errors.Sum()}"));
        return errors.Sum() == 0 ? 0 : 2;
    }

    public static double Percentile(double[] sorted, double fraction) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
