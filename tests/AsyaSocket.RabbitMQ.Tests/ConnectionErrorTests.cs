using System.Net;
using System.Net.Sockets;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>Unreachable brokers and refused credentials: typed errors that never show the password.</summary>
public sealed class ConnectionErrorTests
{
    private const string Secret = "s3cr3t-Pa55word-never-printed";

    [Fact]
    public async Task An_unreachable_broker_is_reported_after_the_configured_attempts()
    {
        var options = new RabbitMqMeshOptions
        {
            BrokerUri = new Uri($"amqp://127.0.0.1:{UnusedPort()}/"), Namespace = "dev", Password = Secret,
        };
        await using var transport = new RabbitMqTransport(options);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(transport).SendAsync("echo", "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.ConnectionRefused, "BrokerUnreachable"), (error.Kind, error.ErrorId));
        Assert.Equal(2, error.Attempts);
        Assert.Contains("connection refused", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());
    }

    [BrokerFact]
    public async Task A_wrong_password_is_access_refused_at_once_and_never_printed()
    {
        await using var mesh = new TestMesh();
        var options = mesh.Options with { Password = Secret };
        await using var transport = new RabbitMqTransport(options);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(transport).SendAsync(mesh.NewActor(), "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.PermissionDenied, "AccessRefused"), (error.Kind, error.ErrorId));
        Assert.Equal(1, error.Attempts);
        Assert.DoesNotContain(Secret, error.ToString());
        Assert.DoesNotContain(Secret, options.ToString());
        Assert.DoesNotContain(Secret, transport.ToString());
        Assert.DoesNotContain(Secret, transport.AddressOf("echo"));
    }

    [BrokerFact]
    public async Task A_user_without_configure_permission_gets_access_refused_and_can_still_send_passively()
    {
        await using var mesh = new TestMesh();
        var actor = mesh.NewActor();
        await TestMesh.SenderOf(mesh.Transport()).SendAsync(actor, "{}"u8.ToArray());
        var user = "writer-" + mesh.Namespace;
        mesh.Ctl("add_user", user, Secret);
        try
        {
            mesh.Ctl("set_permissions", "-p", mesh.Broker.VirtualHost, user, "^$", ".*", ".*");
            var restricted = mesh.Options with { UserName = user, Password = Secret };

            var error = await Assert.ThrowsAsync<AsyaTransportException>(async () =>
                await TestMesh.SenderOf(mesh.Transport(restricted)).SendAsync(actor, "{}"u8.ToArray()));
            await TestMesh.SenderOf(mesh.Transport(restricted with { DeclareMode = RabbitMqDeclareMode.PassiveOnly })).SendAsync(actor, "{}"u8.ToArray());

            Assert.Equal((AsyaErrorKind.PermissionDenied, "AccessRefused"), (error.Kind, error.ErrorId));
            Assert.Contains("ACCESS_REFUSED", error.Message);
            Assert.Equal(2u, (await mesh.CountAsync(mesh.QueueOf(actor))).Messages);
        }
        finally
        {
            mesh.Ctl("delete_user", user);
        }
    }

    [BrokerFact]
    public async Task A_vhost_the_user_may_not_use_is_access_refused()
    {
        await using var mesh = new TestMesh();
        var (uri, user, password) = RabbitMqUrl.Split(mesh.Broker.Url);
        var options = mesh.Options with { BrokerUri = new UriBuilder(uri) { Path = "/no-such-vhost" }.Uri };
        await using var transport = new RabbitMqTransport(options);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await TestMesh.SenderOf(transport).SendAsync("echo", "{}"u8.ToArray()));

        Assert.Equal((AsyaErrorKind.MeshNotFound, "VhostNotFound"), (error.Kind, error.ErrorId));
        Assert.Contains("no-such-vhost", error.Message);
        Assert.DoesNotContain(password, error.ToString());
    }

    private static int UnusedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
