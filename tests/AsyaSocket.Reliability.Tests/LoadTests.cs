using System.Globalization;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 4, scaled for the unit suite: 16 concurrent senders of mixed sizes (64 B to 1 MiB) into one listener whose
/// consumer is slower than they are. The harness's `load` mode does the checking (exactly once, in order per sender,
/// intact, every acked message consumed, the buffer filled so backpressure held the senders back); here the listener
/// process also runs under a GC heap hard limit well below the data sent, so a listener that buffered without bound
/// would fail with OutOfMemory. The full 16 x 10,000 run and its peak RSS are in docs/reliability.md.
/// </summary>
[Collection(Serial.Name)]
public sealed class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SixteenSendersOfMixedSizesIntoASlowConsumerLoseNothingAndStayWithinTheBuffer()
    {
        // About 16 x 150 x 108 KiB = 250 MiB sent; the buffer holds 8 bodies, and 16 more can be in flight: 24 MiB at most.
        var environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x6000000" }; // 96 MiB
        using var load = HarnessProcess.StartWithEnvironment(environment, "load", "--senders", "16", "--messages", "150", "--buffer", "8", "--seed", Random.Shared.Next().ToString(CultureInfo.InvariantCulture));
        var result = await load.ExpectAsync("LOAD-RESULT ", TimeSpan.FromMinutes(3));
        var exitCode = await load.ExitCodeAsync(TimeSpan.FromMinutes(1));
        Assert.True(exitCode == 0 && result.StartsWith("pass ", StringComparison.Ordinal), load.Transcript());

        output.WriteLine(load.Transcript());
        var figures = Figures(result);
        Assert.Equal("2400", figures["messages"]);
        Assert.Equal("8", figures["max-buffered"]);
        Assert.DoesNotContain("PROBLEM", load.Transcript(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Figures(string result)
    {
        var words = result.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < words.Length; i += 2)
        {
            figures[words[i]] = words[i + 1];
        }

        return figures;
    }
}
