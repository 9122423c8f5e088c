using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AsyaSocket.Core.Transport;
using AsyaSocket.RabbitMQ;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// The one place that touches AsyaSocket.RabbitMQ (and so RabbitMQ.Client). Each method is kept out of its
/// callers (no inlining), so those assemblies load, through the private load context, only when a RabbitMQ
/// mesh is used; the fields hold core types only. One connection per mesh for the module's lifetime, shared by
/// every command and job on it.
/// </summary>
internal static class RabbitMqBridge
{
    private static readonly ConcurrentDictionary<BrokerMesh, IAsyaTransport> Transports = new();

    /// <summary>Whether the sidecar's environment selects RabbitMQ (ASYA_TRANSPORT=rabbitmq); reads no assembly.</summary>
    public static bool SelectedByEnvironment() =>
        string.Equals(Environment.GetEnvironmentVariable("ASYA_TRANSPORT"), "rabbitmq", StringComparison.OrdinalIgnoreCase);

    /// <summary>The mesh the sidecar's variables describe; InvalidConfiguration when they are incomplete.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BrokerMesh FromEnvironment() => ToMesh(RabbitMqEnvironment.ReadProcess());

    /// <summary>
    /// The mesh at <paramref name="url"/>: credentials from <paramref name="userName"/>/<paramref name="password"/>
    /// when given, else from the URL, else guest/guest, like the sidecar.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static BrokerMesh FromUrl(string url, string @namespace, string? userName, string? password, string? exchange, ushort? prefetch, bool passiveOnly)
    {
        var (broker, urlUser, urlPassword) = RabbitMqUrl.Split(url);
        var options = new RabbitMqMeshOptions
        {
            BrokerUri = broker,
            UserName = userName ?? urlUser,
            Password = password ?? urlPassword,
            Namespace = @namespace,
            Exchange = exchange ?? RabbitMqMeshOptions.DefaultExchange,
            Prefetch = prefetch ?? 1,
            DeclareMode = passiveOnly ? RabbitMqDeclareMode.PassiveOnly : RabbitMqDeclareMode.Declare,
        }.Validate();
        return ToMesh(options);
    }

    /// <summary>The transport for <paramref name="mesh"/>, its receivers set up as <paramref name="listener"/> asks.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IAsyaTransport Open(BrokerMesh mesh, ListenerSettings listener)
    {
        var shared = (RabbitMqTransport)Transports.GetOrAdd(mesh, m => new RabbitMqTransport(ToOptions(m), $"AsyaSocket pid {Environment.ProcessId}"));
        var defaults = new RabbitMqListenOptions { Tap = listener.Observe, Compete = listener.TakeOver };
        // A mock actor consumes like the sidecar: its prefetch, and an ack only once its results are confirmed.
        return listener.Actor
            ? shared.WithListenerDefaults(defaults with { BufferCapacity = mesh.Prefetch, AckPolicy = AckPolicy.Explicit }, overrideNeutral: true)
            : shared.WithListenerDefaults(defaults);
    }

    /// <summary>Connects now, so wrong credentials or an unreachable broker fail Connect-AsyaMesh itself.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Task VerifyAsync(BrokerMesh mesh, CancellationToken cancellationToken) =>
        ((RabbitMqTransport)Open(mesh, ListenerSettings.None)).ConnectAsync(cancellationToken);

    /// <summary>Test-AsyaMesh's passive checks, in the module's result type.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static async Task<IReadOnlyList<AsyaMeshCheck>> InspectAsync(BrokerMesh mesh, IReadOnlyList<string> actors, CancellationToken cancellationToken)
    {
        var checks = await RabbitMqInspector.InspectAsync(ToOptions(mesh), actors, cancellationToken).ConfigureAwait(false);
        return checks.Select(check => new AsyaMeshCheck(check.Actor, check.Check, check.Status switch
        {
            RabbitMqCheckStatus.Pass => AsyaCheckStatus.Pass,
            RabbitMqCheckStatus.Warn => AsyaCheckStatus.Warn,
            _ => AsyaCheckStatus.Fail,
        }, check.Message, check.Address)).ToList();
    }

    /// <summary>Closes the connection of <paramref name="mesh"/> (Disconnect-AsyaMesh); receivers on it stop.</summary>
    public static void Close(BrokerMesh mesh)
    {
        if (Transports.TryRemove(mesh, out var transport))
        {
            ((IDisposable)transport).Dispose();
        }
    }

    /// <summary>Closes every connection (module removal, process exit).</summary>
    public static void CloseAll()
    {
        foreach (var mesh in Transports.Keys)
        {
            try
            {
                Close(mesh);
            }
            catch (Exception)
            {
                // Shutting down: one broker that fails to close must not keep the others open.
            }
        }
    }

    private static BrokerMesh ToMesh(RabbitMqMeshOptions options) => new(
        options.BrokerUri, options.UserName, options.Password, options.Namespace, options.Exchange, options.Prefetch,
        options.DeclareMode == RabbitMqDeclareMode.PassiveOnly);

    private static RabbitMqMeshOptions ToOptions(BrokerMesh mesh) => new()
    {
        BrokerUri = mesh.Broker,
        UserName = mesh.UserName,
        Password = mesh.Password,
        Namespace = mesh.Namespace,
        Exchange = mesh.Exchange,
        Prefetch = mesh.Prefetch,
        DeclareMode = mesh.PassiveOnly ? RabbitMqDeclareMode.PassiveOnly : RabbitMqDeclareMode.Declare,
    };
}
