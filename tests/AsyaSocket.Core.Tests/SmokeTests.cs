using System.Text;
using AsyaSocket.Core;

namespace AsyaSocket.Core.Tests;

public class SmokeTests
{
    [Fact]
    public async Task RoundTrip()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var sender = new SocketSender(mesh.Mesh);
        var result = await sender.SendAsync("a", Encoding.UTF8.GetBytes("{\"id\":\"1\"}"));
        var message = await listener.ReceiveAsync();
        Assert.Equal("{\"id\":\"1\"}", message.GetText());
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task MissingSocket()
    {
        using var mesh = new TempMesh();
        var sender = new SocketSender(mesh.Mesh, new SocketSenderOptions { DialAttempts = 2, DialRetryInterval = TimeSpan.FromMilliseconds(10) });
        var error = await Assert.ThrowsAsync<AsyaSocketException>(async () => await sender.SendAsync("a", new byte[] { 1 }));
        Assert.Equal(AsyaErrorKind.SocketNotFound, error.Kind);
        var inner = (System.Net.Sockets.SocketException)error.InnerException!;
        Console.WriteLine($"ENOENT maps to {inner.SocketErrorCode} {inner.NativeErrorCode}: {error.Message}");
    }
}
