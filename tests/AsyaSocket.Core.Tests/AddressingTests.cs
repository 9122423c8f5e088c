using System.Text;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>Protocol §1: actor name → socket path (Go's filepath.Base), the mesh directory, and the sun_path limit.</summary>
public class AddressingTests
{
    [Theory]
    [InlineData("actor", "actor.sock")]
    [InlineData("my-processor", "my-processor.sock")]
    [InlineData("x-sink", "x-sink.sock")]
    [InlineData("../evil", "evil.sock")]
    [InlineData("../../etc/passwd", "passwd.sock")]
    [InlineData("sub/dir/actor", "actor.sock")]
    [InlineData("a/", "a.sock")]
    [InlineData("a//", "a.sock")]
    [InlineData("/abs/actor", "actor.sock")]
    [InlineData(@"a\b", @"a\b.sock")] // a backslash is an ordinary character
    [InlineData("..", "...sock")]
    [InlineData("", "..sock")] // filepath.Base("") == "."
    [InlineData("/", "/.sock")] // filepath.Base("/") == "/"; joined under the mesh it names <mesh>/.sock
    [InlineData("///", "/.sock")]
    public void SocketFileNameIsGoFilepathBasePlusSock(string actor, string expected)
    {
        Assert.Equal(expected, MeshDirectory.SocketFileName(actor));
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("/", "/")]
    [InlineData("////", "/")]
    [InlineData("a", "a")]
    [InlineData("a/b", "b")]
    [InlineData("a/b/", "b")]
    [InlineData("/a", "a")]
    [InlineData("a/./b", "b")]
    [InlineData("x/..", "..")]
    [InlineData(@"dir\file", @"dir\file")]
    public void GoPathBaseMatchesGoSemantics(string path, string expected)
    {
        Assert.Equal(expected, GoPathBase.Of(path));
    }

    [Fact]
    public void DotNetGetFileNameIsNotADropIn()
    {
        // Why GoPathBase exists: .NET returns "" for "a/" where Go returns "a".
        Assert.Equal(string.Empty, Path.GetFileName("a/"));
        Assert.Equal("a", GoPathBase.Of("a/"));
    }

    [Theory]
    [InlineData("../evil", "evil.sock")]
    [InlineData("../../etc/passwd", "passwd.sock")]
    [InlineData("sub/dir/actor", "actor.sock")]
    [InlineData("a/", "a.sock")]
    [InlineData("", "..sock")]
    [InlineData("///", ".sock")]
    public async Task ListeningOnATraversalNameBindsInsideTheMeshAndSendersReachIt(string actor, string fileInMesh)
    {
        using var root = new TempMesh();
        var meshPath = Directory.CreateDirectory(Path.Join(root.Path, "m")).FullName;
        var mesh = new MeshDirectory(meshPath);

        await using var listener = SocketListener.Start(mesh, actor);
        Assert.True(Unix.IsSocket(Path.Join(meshPath, fileInMesh)), $"expected the socket at <mesh>/{fileInMesh}");
        Assert.Equal(new[] { fileInMesh }, Directory.GetFileSystemEntries(meshPath).Select(Path.GetFileName));
        Assert.Equal(new[] { "m" }, root.Entries()); // nothing escaped the mesh directory

        var sender = new SocketSender(mesh, new SendOptions { ConnectAttempts = 1 });
        await sender.SendAsync(actor, "x"u8.ToArray()).Within();
        var message = await listener.ReceiveAsync().Within();
        Assert.Equal("x", message.GetText());
        Assert.Equal(actor, message.Actor);
    }

    [Fact]
    public void ActorNameWithNulIsRejected()
    {
        var error = Assert.Throws<AsyaTransportException>(() => MeshDirectory.SocketFileName("a\0b"));
        Assert.Equal(AsyaErrorKind.InvalidActorName, error.Kind);
    }

    [Fact]
    public async Task MissingMeshDirectoryIsRejectedByListenerSenderAndInspector()
    {
        using var root = new TempMesh();
        var mesh = new MeshDirectory(Path.Join(root.Path, "missing"));
        Assert.False(mesh.Exists);

        var listen = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh, "a"));
        Assert.Equal(AsyaErrorKind.MeshNotFound, listen.Kind);
        Assert.Contains(mesh.Path, listen.Message);

        // Even with 60 dial attempts 10 s apart the sender fails at once: retrying cannot create the directory.
        var sender = new SocketSender(mesh, new SendOptions { ConnectAttempts = 60, ConnectRetryInterval = TimeSpan.FromSeconds(10) });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var send = await Assert.ThrowsAsync<AsyaTransportException>(async () => await sender.SendAsync("a", "x"u8.ToArray())).Within();
        Assert.Equal(AsyaErrorKind.MeshNotFound, send.Kind);
        Assert.True(send.Attempts <= 1, $"{send.Attempts} attempts");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed.TotalSeconds} s: it slept between retries");

        Assert.Equal(AsyaErrorKind.MeshNotFound, Assert.Throws<AsyaTransportException>(() => MeshInspector.InspectAll(mesh)).Kind);
        Assert.Empty(MeshInspector.ActorNames(mesh));
        Assert.False(Directory.Exists(mesh.Path)); // nobody created it
    }

    [Fact]
    public void RelativeMeshPathIsMadeAbsolute()
    {
        var mesh = new MeshDirectory("relative/mesh");
        Assert.True(Path.IsPathRooted(mesh.Path));
        Assert.Equal(Path.GetFullPath("relative/mesh"), mesh.Path);
        Assert.Equal(Path.Join(mesh.Path, "a.sock"), mesh.SocketPathFor("a"));
    }

    [Fact]
    public void ProtocolConstants()
    {
        Assert.Equal("ASYA_SOCKET_MESH_DIR", MeshDirectory.EnvironmentVariable);
        Assert.Equal("/var/run/asya/mesh", MeshDirectory.DefaultPath);
        Assert.Equal(107, SocketPathLimit.MaxBytes); // Linux
    }

    [Fact]
    public async Task PathOfExactly107BytesWorksAnd108IsSocketPathTooLongNamingTheLength()
    {
        using var root = new TempMesh();
        // <dir>/x.sock is 107 bytes; <dir>/xy.sock is 108.
        var directory = Path.Join(root.Path, new string('d', 107 - root.Path.Length - "/".Length - "/x.sock".Length));
        Directory.CreateDirectory(directory);
        var mesh = new MeshDirectory(directory);
        Assert.Equal(107, Encoding.UTF8.GetByteCount(mesh.SocketPathFor("x")));

        await using (var listener = SocketListener.Start(mesh, "x"))
        {
            var result = await new SocketSender(mesh, new SendOptions { ConnectAttempts = 1 }).SendAsync("x", "fits"u8.ToArray()).Within();
            Assert.Equal(107, Encoding.UTF8.GetByteCount(result.Address));
            Assert.Equal("fits", (await listener.ReceiveAsync().Within()).GetText());
        }

        var tooLong = mesh.Path + "/xy.sock";
        var fromPath = Assert.Throws<AsyaTransportException>(() => mesh.SocketPathFor("xy"));
        Assert.Equal(AsyaErrorKind.AddressTooLong, fromPath.Kind);
        Assert.Contains("108 bytes", fromPath.Message);
        Assert.Equal(tooLong, fromPath.Address);

        var fromListen = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh, "xy"));
        Assert.Equal(AsyaErrorKind.AddressTooLong, fromListen.Kind);
        Assert.Contains("108", fromListen.Message);

        var fromSend = await Assert.ThrowsAsync<AsyaTransportException>(async () => await new SocketSender(mesh).SendAsync("xy", "x"u8.ToArray())).Within();
        Assert.Equal(AsyaErrorKind.AddressTooLong, fromSend.Kind);
        Assert.Contains("108", fromSend.Message);
        Assert.Empty(Directory.GetFileSystemEntries(directory)); // nothing was bound, not even a temporary name
    }

    [Fact]
    public void TheLimitCountsUtf8BytesNotCharacters()
    {
        using var root = new TempMesh();
        var directory = Path.Join(root.Path, new string('d', 107 - root.Path.Length - "/".Length - "/x.sock".Length));
        var mesh = new MeshDirectory(directory);
        var path = Path.Join(directory, "é.sock"); // 107 characters, 108 bytes
        Assert.Equal(107, path.Length);
        var error = Assert.Throws<AsyaTransportException>(() => mesh.SocketPathFor("é"));
        Assert.Equal(AsyaErrorKind.AddressTooLong, error.Kind);
        Assert.Contains("108 bytes", error.Message);
        Assert.False(SocketPathLimit.Fits(path));
        Assert.Equal(108, SocketPathLimit.ByteLength(path));
    }
}

/// <summary>The environment variable is process-wide state, so this runs apart from everything else.</summary>
[Collection(Serial.Name)]
public class MeshDirectoryEnvironmentTests
{
    [Fact]
    public void ExplicitPathBeatsEnvironmentVariableWhichBeatsDefault()
    {
        var saved = Environment.GetEnvironmentVariable(MeshDirectory.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MeshDirectory.EnvironmentVariable, "/srv/asya-from-env");
            Assert.Equal("/srv/asya-from-env", new MeshDirectory().Path);
            Assert.Equal("/srv/asya-from-env", new MeshDirectory("").Path);
            Assert.Equal("/srv/asya-explicit", new MeshDirectory("/srv/asya-explicit").Path);

            Environment.SetEnvironmentVariable(MeshDirectory.EnvironmentVariable, null);
            Assert.Equal(MeshDirectory.DefaultPath, new MeshDirectory().Path);

            // An empty mesh dir falls back to the environment; one that does not exist is rejected.
            using var root = new TempMesh();
            Environment.SetEnvironmentVariable(MeshDirectory.EnvironmentVariable, Path.Join(root.Path, "absent"));
            var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(new MeshDirectory(""), "a"));
            Assert.Equal(AsyaErrorKind.MeshNotFound, error.Kind);
            Assert.Contains("absent", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(MeshDirectory.EnvironmentVariable, saved);
        }
    }
}
