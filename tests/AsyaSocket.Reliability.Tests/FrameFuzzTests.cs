using System.Buffers.Binary;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Reliability.Fuzz;
using AsyaSocket.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 1: any byte sequence from a peer yields a complete message or a specific rejection; never a crash, a hang
/// past the read timeout, or an allocation above the cap. Properties (FsCheck) run against a live listener over real
/// sockets, one case at a time, each checked exactly against the protocol (<see cref="FuzzExpectation"/>).
/// The million-case run is the harness's (docs/reliability.md); <see cref="HarnessSliceTests"/> runs a quick slice of it.
/// </summary>
public sealed class FrameFuzzTests
{
    /// <summary>FsCheck's quick check for <paramref name="tests"/> cases, throwing (with the counterexample and seed) on failure.</summary>
    public static Config Quick(int tests) => Config.QuickThrowOnFailure.WithMaxTest(tests).WithQuietOnSuccess(true);

    private static readonly Gen<FuzzEnding> Endings = Gen.Frequency((9, Gen.Constant(FuzzEnding.Close)), (1, Gen.Constant(FuzzEnding.Abort)));

    private static Gen<int[]> SplitsOf(int length) =>
        length <= 1 ? Gen.Constant(Array.Empty<int>()) : Gen.ArrayOf(Gen.Choose(1, length - 1)).Select(splits => splits.Distinct().Order().ToArray());

    [Fact]
    public async Task ArbitraryBytesAreOneMessageOrOneSpecificRejection()
    {
        // Pure random bytes: the first four are almost always a length far over the cap.
        await using var probe = new CaseProbe();
        var cases =
            from bytes in ArbMap.Default.GeneratorFor<byte[]>()
            from splits in SplitsOf(bytes.Length)
            from ending in Endings
            select new FuzzCase("arbitrary", bytes, splits, ending);
        Check.One(Quick(300), Prop.ForAll(cases.ToArbitrary(), probe.Assert));
        Assert.Equal(300, probe.Cases);
    }

    [Fact]
    public async Task ArbitraryBytesAfterASmallLengthAreTheMessageOrATruncatedBody()
    {
        // A plausible header, then whatever: exactly the announced bytes make a message, fewer a truncated body, more are ignored.
        await using var probe = new CaseProbe();
        var cases =
            from length in Gen.Choose(0, 80)
            from rest in ArbMap.Default.GeneratorFor<byte[]>()
            let bytes = Raw.Header((uint)length).Concat(rest).ToArray()
            from splits in SplitsOf(bytes.Length)
            from ending in Endings
            select new FuzzCase("small-length", bytes, splits, ending);
        Check.One(Quick(300), Prop.ForAll(cases.ToArbitrary(), probe.Assert));
    }

    [Fact]
    public async Task HowAFrameIsSplitIntoWritesNeverChangesTheMessage()
    {
        await using var probe = new CaseProbe();
        var cases =
            from body in ArbMap.Default.GeneratorFor<byte[]>()
            let bytes = Raw.Frame(body)
            from splits in SplitsOf(bytes.Length)
            select new FuzzCase("split-frame", bytes, splits, FuzzEnding.Close);
        Check.One(Quick(200), Prop.ForAll(cases.ToArbitrary(), probe.Assert));
    }

    [Fact]
    public async Task GeneratedHostileCasesMeetTheProtocol()
    {
        // The harness's generator (random, frames, trailing bytes, truncations, lengths at and over the cap), driven by FsCheck's seeds.
        await using var probe = new CaseProbe(maxBodyLength: 16 * 1024);
        var generator = new FuzzCaseGenerator(probe.Options.MaxBodyLength, holdOpenRate: 0, abortRate: 0.1);
        var cases = Gen.Choose(0, int.MaxValue).Select(seed => generator.Generate(new Random(seed)));
        Check.One(Quick(500), Prop.ForAll(cases.ToArbitrary(), probe.Assert));
    }

    [Fact]
    public async Task APeerThatGoesSilentIsClosedAtTheReadTimeoutWithoutAnAck()
    {
        // Silence after any prefix of a frame: closed at the read timeout (not before, not much after), never acked.
        await using var probe = new CaseProbe(readTimeout: TimeSpan.FromMilliseconds(500));
        var cases =
            from length in Gen.Choose(1, 64)
            from cut in Gen.Choose(0, length + 3)
            let bytes = Raw.Header((uint)length).Concat(new byte[length]).Take(cut).ToArray()
            select new FuzzCase("silent", bytes, [], FuzzEnding.HoldOpen);
        Check.One(Quick(6), Prop.ForAll(cases.ToArbitrary(), probe.Assert));
        Assert.Equal(6, probe.Listener.Counters.RejectedFor(RejectReason.ReadTimeout));
    }

    [Fact]
    public void TheHeaderRoundTripsEveryLength()
    {
        Check.One(Quick(1000), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), length =>
        {
            var header = new byte[FrameHeader.Size];
            FrameHeader.Write(header, length);
            return FrameHeader.Read(header) == (uint)length && BinaryPrimitives.ReadUInt32BigEndian(header) == (uint)length;
        }));
    }

    [Fact]
    public async Task TheCoreSenderAndListenerRoundTripAnyBody()
    {
        using var mesh = TempMesh.InOwnParent();
        await using var listener = SocketListener.Start(mesh.Mesh, "rt");
        var sender = mesh.Sender();
        Check.One(Quick(200), Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), body => Task.Run(async () =>
        {
            await sender.SendAsync("rt", body).Within();
            var message = await listener.ReceiveAsync().Within();
            return message.Body.Span.SequenceEqual(body);
        }).GetAwaiter().GetResult()));
    }
}

/// <summary>The cases that count allocations or run the harness: alone, so nothing else allocates meanwhile.</summary>
[Collection(Serial.Name)]
public sealed class HarnessSliceTests
{
    private const int Cap = 4 * 1024 * 1024;

    [Fact]
    public async Task LengthsOverTheCapAreRefusedBeforeAnyBodyIsAllocated()
    {
        // Each case: the whole process allocates far less than the cap while the listener refuses a header over it.
        await using var probe = new CaseProbe(maxBodyLength: Cap);
        var lengths = Gen.OneOf(
            Gen.Elements(uint.MaxValue, 0x80000000u, (uint)FrameHeader.DefaultMaxBodyLength + 1, (uint)Cap + 1),
            Gen.Choose(Cap + 1, int.MaxValue).Select(length => (uint)length),
            Gen.Choose(0, int.MaxValue).Select(length => (uint)length | 0x80000000u));
        var cases =
            from length in lengths
            from trailing in Gen.Choose(0, 64)
            select new FuzzCase("over-cap", Raw.Header(length).Concat(new byte[trailing]).ToArray(), [], FuzzEnding.Close);
        Check.One(FrameFuzzTests.Quick(200), Prop.ForAll(cases.ToArbitrary(), fuzzCase =>
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            probe.Assert(fuzzCase);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Assert.True(allocated < Cap / 4, $"refusing a {BinaryPrimitives.ReadUInt32BigEndian(fuzzCase.Bytes)}-byte header allocated {allocated} bytes (cap {Cap})");
        }));
        Assert.Equal(200, probe.Listener.Counters.RejectedFor(RejectReason.FrameTooLarge));
    }

    [Fact]
    public void TheAllocationWatchSeesOneLargeArray()
    {
        // The control for the harness's allocation check: a single array over 100 KB is always reported.
        using var watch = new AllocationWatch();
        Assert.True(SpinWait.SpinUntil(() => watch.Enabled, Bounds.Hang));
        watch.Reset();
        var array = new byte[3 * 1024 * 1024];
        GC.KeepAlive(array);
        Assert.True(SpinWait.SpinUntil(() => watch.LargestByteArray >= array.Length, Bounds.Hang), $"largest seen {watch.LargestByteArray}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AQuickSliceOfTheRandomStreamHarnessPasses(bool pooledBodies)
    {
        // 5,000 cases of the million the harness runs (docs/reliability.md), with a fresh seed each run; the seed
        // is in the failure message, and `harness fuzz --seed S --first I --cases 1` replays a failing case.
        var options = new FuzzRunOptions
        {
            Cases = 5_000,
            Seed = Random.Shared.Next(),
            Concurrency = 16,
            ReadTimeout = TimeSpan.FromSeconds(3),
            Slack = TimeSpan.FromSeconds(5),
            HoldOpenRate = 0.002,
            PooledBodies = pooledBodies,
        };
        var report = await FuzzRunner.RunAsync(options).Within(TimeSpan.FromMinutes(2));
        Assert.True(report.Passed, string.Join('\n', report.Describe(options)));
        Assert.Equal(options.Cases, report.Cases);
        Assert.True(report.ByOutcome.Count >= 5, "the generator should reach messages and every kind of rejection");
    }
}
