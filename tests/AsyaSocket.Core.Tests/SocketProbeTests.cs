using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>The explicit connect probe (used before replacing a socket file): live, stale, missing, and its documented side effect.</summary>
public class SocketProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task LiveListenerIsLiveAndSeesAnEmptyConnection()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        Assert.Equal(ProbeResult.Live, await SocketProbe.ProbeAsync(listener.Address, Timeout).Within());

        // Not harmless: the listener sees a connect-then-close (a real sidecar logs an error and backs off).
        await Bounds.Eventually(() => listener.Counters.RejectedFor(RejectReason.EmptyConnection) == 1, "the probe is seen as an empty connection");
    }

    [Fact]
    public async Task StaleSocketIsRefusedAndMissingIsMissing()
    {
        using var mesh = new TempMesh();
        Unix.CreateStaleSocket(mesh.SocketPath("stale"));
        Assert.Equal(ProbeResult.Refused, await SocketProbe.ProbeAsync(mesh.SocketPath("stale"), Timeout).Within());
        Assert.Equal(ProbeResult.Missing, await SocketProbe.ProbeAsync(mesh.SocketPath("missing"), Timeout).Within());
        Assert.True(Unix.IsSocket(mesh.SocketPath("stale"))); // probing deletes nothing
    }
}
