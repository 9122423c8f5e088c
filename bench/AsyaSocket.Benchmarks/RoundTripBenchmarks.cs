using System.Net.Sockets;
using AsyaSocket.Core.Sockets;
using BenchmarkDotNet.Attributes;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// One message's whole exchange, connect to ack, against the same out-of-process receiver (see
/// <see cref="RoundTripReceiver"/>): the minimal raw async exchange (the baseline), the same exchange with
/// blocking calls (for reference: the cost of the async I/O model itself), and <see cref="SocketSender"/>.
/// </summary>
[MemoryDiagnoser]
public class RoundTripBenchmarks
{
    private const string Actor = "bench-peer";

    private readonly byte[] _ack = new byte[1];
    private DirectoryInfo? _mesh;
    private RoundTripReceiver? _receiver;
    private UnixDomainSocketEndPoint _endPoint = null!;
    private byte[] _frame = [];
    private ReadOnlyMemory<byte> _body;
    private SocketSender _sender = null!;

    /// <summary>Body length in bytes.</summary>
    [Params(64, 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mesh = Directory.CreateTempSubdirectory("asyab");
        var mesh = new MeshDirectory(_mesh.FullName);
        var socketPath = mesh.SocketPathFor(Actor);
        _receiver = RoundTripReceiver.Start(socketPath);
        _endPoint = new UnixDomainSocketEndPoint(socketPath);
        _frame = RawFrames.Frame(Size);
        _body = _frame.AsMemory(4);
        _sender = new SocketSender(mesh);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _receiver?.Dispose();
        _mesh?.Delete(recursive: true);
    }

    /// <summary>Connect, write the 4-byte header and the body (prepared as one buffer), read one byte, close.</summary>
    [Benchmark(Baseline = true)]
    public async Task RawAsync()
    {
        using var socket = RawFrames.NewSocket();
        await socket.ConnectAsync(_endPoint).ConfigureAwait(false);
        await RawFrames.SendAllAsync(socket, _frame).ConfigureAwait(false);
        if (!await RawFrames.ReceiveExactlyAsync(socket, _ack).ConfigureAwait(false) || _ack[0] != RawFrames.Ack)
        {
            throw new InvalidOperationException("no ack");
        }
    }

    /// <summary>The same exchange with blocking calls, as uds_limit does it.</summary>
    [Benchmark]
    public void RawSync() => RawFrames.SendSync(_endPoint, _frame);

    /// <summary><see cref="SocketSender.SendAsync"/> with the default options.</summary>
    [Benchmark]
    public async Task Core() => await _sender.SendAsync(Actor, _body).ConfigureAwait(false);
}
