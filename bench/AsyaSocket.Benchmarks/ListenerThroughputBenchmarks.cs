using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;
using AsyaSocket.Core.Sockets;
using BenchmarkDotNet.Attributes;

namespace AsyaSocket.Benchmarks;

/// <summary>
/// Messages received per second by <see cref="SocketListener"/> (default options) with 1, 4 and 16 concurrent
/// senders, and what each received message allocates. The senders are raw blocking clients in a separate
/// process (<c>peer send</c>), so the allocations measured here are the receiving side's alone. The baseline
/// is the least a concurrent async receiver can do: accept, read the frame into a new array, hand it over
/// through a bounded channel, ack, close.
/// </summary>
[MemoryDiagnoser]
public class ListenerThroughputBenchmarks
{
    /// <summary>Messages per benchmark invocation; Mean and Allocated are per message.</summary>
    public const int Batch = 512;

    private const string Actor = "bench-sink";

    private readonly CancellationTokenSource _timeout = new();
    private DirectoryInfo? _mesh;
    private PeerProcess? _senders;
    private SocketListener? _listener;
    private MinimalReceiver? _raw;
    private long _bytes;

    /// <summary>Concurrent sending connections.</summary>
    [Params(1, 4, 16)]
    public int Senders { get; set; }

    /// <summary>Body length in bytes.</summary>
    [Params(1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup(Target = nameof(CoreListener))]
    public void SetupCore()
    {
        var mesh = CreateMesh();
        _listener = SocketListener.Start(mesh, Actor);
        StartSenders(_listener.Address);
    }

    [GlobalSetup(Target = nameof(RawListener))]
    public void SetupRaw()
    {
        var mesh = CreateMesh();
        _raw = new MinimalReceiver(mesh.SocketPathFor(Actor));
        StartSenders(_raw.SocketPath);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _senders?.Dispose();
        _listener?.Dispose();
        _raw?.Dispose();
        _mesh?.Delete(recursive: true);
        (_senders, _listener, _raw, _mesh) = (null, null, null, null);
    }

    /// <summary>A minimal async receiver in this process.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public async Task RawListener()
    {
        Go();
        for (var i = 0; i < Batch; i++)
        {
            _bytes += (await _raw!.Bodies.ReadAsync(_timeout.Token).ConfigureAwait(false)).Length;
        }
    }

    /// <summary><see cref="SocketListener"/> with its defaults; a consumer takes every message.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task CoreListener()
    {
        Go();
        for (var i = 0; i < Batch; i++)
        {
            _bytes += (await _listener!.ReceiveAsync(_timeout.Token).ConfigureAwait(false)).Length;
        }
    }

    private MeshDirectory CreateMesh()
    {
        _mesh = Directory.CreateTempSubdirectory("asyab");
        return new MeshDirectory(_mesh.FullName);
    }

    private void StartSenders(string socketPath)
    {
        _senders = PeerProcess.StartSelf("send", socketPath, Senders.ToString(), Size.ToString());
        if (_senders.Output.ReadLine() != "ready")
        {
            throw new InvalidOperationException("The sender process did not start: " + _senders.Describe());
        }
    }

    // Asks the sender process for one batch; a stuck batch fails the benchmark instead of hanging it.
    private void Go()
    {
        _timeout.CancelAfter(TimeSpan.FromSeconds(60));
        _senders!.Input.WriteLine(Batch);
        _senders.Input.Flush();
    }

    /// <summary>The least a concurrent async Asya receiver does. No timeouts, no bookkeeping.</summary>
    private sealed class MinimalReceiver : IDisposable
    {
        private static readonly byte[] AckByte = [RawFrames.Ack];
        private readonly Socket _socket = RawFrames.NewSocket();
        private readonly Channel<byte[]> _bodies = Channel.CreateBounded<byte[]>(64);

        public MinimalReceiver(string socketPath)
        {
            SocketPath = socketPath;
            _socket.Bind(new UnixDomainSocketEndPoint(socketPath));
            _socket.Listen(512);
            _ = AcceptLoopAsync();
        }

        public string SocketPath { get; }

        public ChannelReader<byte[]> Bodies => _bodies.Reader;

        public void Dispose() => _socket.Dispose();

        private async Task AcceptLoopAsync()
        {
            while (true)
            {
                Socket connection;
                try
                {
                    connection = await _socket.AcceptAsync().ConfigureAwait(false);
                }
                catch (Exception error) when (error is SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = ServeAsync(connection);
            }
        }

        private async Task ServeAsync(Socket connection)
        {
            var header = ArrayPool<byte>.Shared.Rent(4);
            try
            {
                using (connection)
                {
                    if (!await RawFrames.ReceiveExactlyAsync(connection, header.AsMemory(0, 4)).ConfigureAwait(false))
                    {
                        return;
                    }

                    var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
                    if (!await RawFrames.ReceiveExactlyAsync(connection, body).ConfigureAwait(false))
                    {
                        return;
                    }

                    await _bodies.Writer.WriteAsync(body).ConfigureAwait(false);
                    await RawFrames.SendAllAsync(connection, AckByte).ConfigureAwait(false);
                }
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(header);
            }
        }
    }
}
