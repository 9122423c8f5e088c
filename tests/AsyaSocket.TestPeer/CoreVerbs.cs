using System.Globalization;
using AsyaSocket.Core.Actors;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.TestPeer;

/// <summary>Verbs that use the core itself, from another process.</summary>
internal static class CoreVerbs
{
    public static async Task<int> SendAsync(PeerCommand command)
    {
        var mesh = new MeshDirectory(command.Arg(0, "mesh"));
        var actor = command.Arg(1, "actor");
        var count = command.IntArg(2, "count");
        var size = command.IntArg(3, "size");
        var tag = command.Option("tag") ?? "peer";
        var defaults = new SendOptions();
        var sender = new SocketSender(mesh, new SendOptions
        {
            ConnectAttempts = command.Int("dial-attempts", defaults.ConnectAttempts),
            ConnectRetryInterval = TimeSpan.FromMilliseconds(command.Int("dial-interval-ms", (int)defaults.ConnectRetryInterval.TotalMilliseconds)),
            AckTimeout = TimeSpan.FromMilliseconds(command.Int("ack-timeout-ms", (int)defaults.AckTimeout.TotalMilliseconds)),
        });

        for (var index = 0; index < count; index++)
        {
            var body = PeerOutput.Body(tag, index, size);
            try
            {
                var result = await sender.SendAsync(actor, body);
                PeerOutput.Line($"SENT {index} {result.BodyLength} {PeerOutput.Sha256(body)} {result.Attempts}");
            }
            catch (AsyaTransportException error)
            {
                PeerOutput.Line($"ERROR {error.Kind} {error.Attempts} {PeerOutput.OneLine(error.Message)}");
                return 2;
            }
        }

        return 0;
    }

    public static async Task<int> ReceiveAsync(PeerCommand command)
    {
        var mesh = new MeshDirectory(command.Arg(0, "mesh"));
        var actor = command.Arg(1, "actor");
        var count = command.IntArg(2, "count");
        var options = new SocketListenerOptions
        {
            AckPolicy = command.Flag("when-taken") ? AckPolicy.WhenTaken : AckPolicy.WhenBuffered,
            Force = command.Flag("force"),
            SocketMode = command.Option("mode") is { } mode ? (UnixFileMode)Convert.ToInt32(mode, 8) : null,
        };

        SocketListener listener;
        try
        {
            listener = SocketListener.Start(mesh, actor, options);
        }
        catch (AsyaTransportException error)
        {
            PeerOutput.Line($"ERROR {error.Kind} 0 {PeerOutput.OneLine(error.Message)}");
            return 2;
        }

        await using (listener)
        {
            PeerOutput.Line($"READY {listener.Address}");
            for (var received = 0; received < count; received++)
            {
                var message = await listener.ReceiveAsync();
                PeerOutput.Line($"RECV {message.Length} {PeerOutput.Sha256(message.Body.Span)} {message.TransportId} {PeerOutput.Tag(message.Body.Span)}");
            }
        }

        PeerOutput.Line("DONE");
        return 0;
    }

    public static async Task<int> ActAsync(PeerCommand command)
    {
        var mesh = new MeshDirectory(command.Arg(0, "mesh"));
        var name = command.Arg(1, "actor");
        var count = command.IntArg(2, "count");
        var suffix = command.Option("suffix") ?? string.Empty;
        var rules = new ActorRules(name, command.Option("sink"), command.Option("sump"));
        var sender = new SocketSender(mesh);
        await using var listener = SocketListener.Start(mesh, name);
        PeerOutput.Line($"READY {listener.Address}");
        for (var handled = 0; handled < count; handled++)
        {
            var message = await listener.ReceiveAsync();
            var envelope = rules.Accept(message.Body.Span, out var rejection);
            var dispatches = envelope is null
                ? new[] { rejection! }
                : rules.Succeeded(envelope, new[] { System.Text.Json.JsonSerializer.SerializeToElement(envelope.Payload.ToString() + suffix) });
            foreach (var dispatch in dispatches)
            {
                await sender.SendAsync(dispatch.Actor, dispatch.Envelope.ToUtf8Bytes());
                PeerOutput.Line($"ACTED {dispatch.Envelope.Id} {dispatch.Actor}");
            }
        }

        PeerOutput.Line("DONE");
        return 0;
    }

    public static int Inspect(PeerCommand command)
    {
        var mesh = new MeshDirectory(command.Arg(0, "mesh"));
        var info = MeshInspector.Inspect(mesh, command.Arg(1, "actor"));
        var mode = info.Mode is { } bits ? Convert.ToString((int)bits, 8).PadLeft(4, '0') : "-";
        PeerOutput.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"INSPECT euid={MeshInspector.CurrentUserId} exists={info.Exists} socket={info.IsSocket} canConnect={info.CanConnect} mode={mode} uid={info.OwnerUid}"));
        return 0;
    }
}
