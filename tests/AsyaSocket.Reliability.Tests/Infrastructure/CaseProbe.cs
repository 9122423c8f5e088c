using System.Diagnostics;
using System.Net.Sockets;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Reliability.Fuzz;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// A live listener that fuzz cases are run against one at a time, so each case's effect on the counters and on the
/// consumer can be checked exactly: one case is one message with exactly the expected body, or one rejection for
/// exactly the expected reason, and nothing else.
/// </summary>
public sealed class CaseProbe : IAsyncDisposable
{
    private readonly TempMesh _mesh = TempMesh.InOwnParent();
    private readonly UnixDomainSocketEndPoint _endPoint;

    public CaseProbe(int maxBodyLength = 64 * 1024, TimeSpan? readTimeout = null)
    {
        Options = new FuzzRunOptions
        {
            MaxBodyLength = maxBodyLength,
            ReadTimeout = readTimeout ?? TimeSpan.FromSeconds(3),
            Slack = TimeSpan.FromSeconds(5),
        };
        Listener = SocketListener.Start(_mesh.Mesh, "probe", new SocketListenerOptions
        {
            MaxBodyLength = maxBodyLength,
            ReadTimeout = Options.ReadTimeout,
        });
        _endPoint = new UnixDomainSocketEndPoint(Listener.Address);
    }

    public SocketListener Listener { get; }

    public FuzzRunOptions Options { get; }

    public int Cases { get; private set; }

    /// <summary>Runs <paramref name="fuzzCase"/> and returns what was wrong with the listener's handling of it, or null.</summary>
    public async Task<string?> CheckAsync(FuzzCase fuzzCase)
    {
        Cases++;
        var expectation = FuzzExpectation.For(fuzzCase, Options.MaxBodyLength);
        var before = Listener.Counters;
        var problem = await FuzzRunner.RunCaseAsync(_endPoint, fuzzCase, expectation, Options);
        if (problem is not null)
        {
            return Describe(problem, expectation, fuzzCase);
        }

        // The case is accounted for exactly once: as received, or as rejected.
        var clock = Stopwatch.StartNew();
        ReceiverCounters after;
        while ((after = Listener.Counters).Received + after.RejectedTotal == before.Received + before.RejectedTotal)
        {
            if (clock.Elapsed > Bounds.Hang)
            {
                return Describe("the listener never accounted for the connection", expectation, fuzzCase);
            }

            await Task.Delay(2);
        }

        if (after.Received + after.RejectedTotal != before.Received + before.RejectedTotal + 1)
        {
            return Describe($"one connection changed the counters by {after.Received + after.RejectedTotal - before.Received - before.RejectedTotal}", expectation, fuzzCase);
        }

        if (!expectation.IsMessage)
        {
            var reason = expectation.Reject!.Value;
            return after.RejectedFor(reason) == before.RejectedFor(reason) + 1 && Listener.Counters.Buffered == 0
                ? null
                : Describe($"counted as {string.Join(", ", after.Rejected.Where(pair => pair.Value != before.RejectedFor(pair.Key)).Select(pair => pair.Key))}{(after.Received != before.Received ? " and received" : string.Empty)}", expectation, fuzzCase);
        }

        if (after.Received != before.Received + 1)
        {
            return Describe("a complete frame was not counted as received", expectation, fuzzCase);
        }

        using var timeout = new CancellationTokenSource(Bounds.Hang);
        var message = await Listener.ReceiveAsync(timeout.Token);
        if (!message.Body.Span.SequenceEqual(expectation.Body(fuzzCase).Span))
        {
            return Describe($"the consumer got a different body ({message.Length} bytes)", expectation, fuzzCase);
        }

        return Listener.Counters.Buffered == 0 ? null : Describe("more than one message was buffered", expectation, fuzzCase);
    }

    /// <summary>Throws (failing the property with the case) when the case was mishandled.</summary>
    public void Assert(FuzzCase fuzzCase)
    {
        var problem = Task.Run(() => CheckAsync(fuzzCase)).GetAwaiter().GetResult();
        if (problem is not null)
        {
            throw new Xunit.Sdk.XunitException(problem);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        _mesh.Dispose();
    }

    private static string Describe(string problem, FuzzExpectation expectation, FuzzCase fuzzCase) =>
        $"{problem}; expected {expectation}; case {fuzzCase}";
}
