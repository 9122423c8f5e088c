using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Core.Transport;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Protocol §6: inspecting a mesh from the file system only (like <c>test -S</c>), never by connecting; and what the
/// socket's mode and owner mean for who can connect.
/// </summary>
public class MeshInspectorTests
{
    [Fact]
    public async Task LiveSocketIsReportedWithModeOwnerAndWithoutBeingProbed()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { SocketMode = (UnixFileMode)0b110_110_000 });
        var info = MeshInspector.Inspect(mesh.Mesh, "a");
        var stat = Unix.Stat(listener.Address)!;

        Assert.Equal("a", info.Actor);
        Assert.Equal(listener.Address, info.Path);
        Assert.True(info.Exists);
        Assert.True(info.IsSocket);
        Assert.Equal("socket", info.FileType);
        Assert.Equal((UnixFileMode)0b110_110_000, info.Mode);
        Assert.Equal(stat.Mode, info.Mode);
        Assert.Equal(Unix.EffectiveUserId, info.OwnerUid);
        Assert.Equal(stat.Uid, info.OwnerUid);
        Assert.Equal(stat.Gid, info.OwnerGid);
        Assert.True(info.CanConnect);
        Assert.Equal(listener.Address.Length, info.PathLength);
        Assert.True(info.PathWithinLimit);
        Assert.Equal(Unix.EffectiveUserId, MeshInspector.CurrentUserId);

        // Passive: a connect-then-close would make a real sidecar log an error and back off.
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(0, listener.Counters.RejectedTotal);
    }

    [Fact]
    public void StaleSocketLooksLikeASocketBecauseNothingConnects()
    {
        using var mesh = new TempMesh();
        Unix.CreateStaleSocket(mesh.SocketPath("stale"));
        var info = MeshInspector.Inspect(mesh.Mesh, "stale");
        Assert.True(info.IsSocket);
        Assert.Equal("socket", info.FileType);
        Assert.True(info.CanConnect); // permission-wise; only a connect would reveal it is stale
    }

    [Fact]
    public void RegularFileSymlinkDirectoryAndNothing()
    {
        using var mesh = new TempMesh();
        File.WriteAllText(mesh.SocketPath("file"), "x");
        File.CreateSymbolicLink(mesh.SocketPath("link"), mesh.SocketPath("file"));
        Directory.CreateDirectory(mesh.SocketPath("dir"));

        var file = MeshInspector.Inspect(mesh.Mesh, "file");
        Assert.Equal((true, false, "regular file", false), (file.Exists, file.IsSocket, file.FileType, file.CanConnect));
        Assert.Equal(Unix.Stat(mesh.SocketPath("file"))!.Mode, file.Mode);

        var link = MeshInspector.Inspect(mesh.Mesh, "link");
        Assert.Equal((true, false, "symbolic link", false), (link.Exists, link.IsSocket, link.FileType, link.CanConnect));

        var dir = MeshInspector.Inspect(mesh.Mesh, "dir");
        Assert.Equal((true, false, "directory", false), (dir.Exists, dir.IsSocket, dir.FileType, dir.CanConnect));

        var missing = MeshInspector.Inspect(mesh.Mesh, "missing");
        Assert.Equal((false, false, null, null, null, false), (missing.Exists, missing.IsSocket, missing.FileType, missing.Mode, missing.OwnerUid, missing.CanConnect));
    }

    [Fact]
    public async Task InspectAllListsEverySockEntrySortedAndActorNamesOnlyTheSockets()
    {
        using var mesh = new TempMesh();
        await using var zeta = SocketListener.Start(mesh.Mesh, "zeta");
        await using var alpha = SocketListener.Start(mesh.Mesh, "alpha");
        File.WriteAllText(mesh.SocketPath("middle"), "not a socket");
        File.WriteAllText(Path.Join(mesh.Path, "notes.txt"), "ignored");
        Unix.CreateStaleSocket(mesh.SocketPath("old"));

        var all = MeshInspector.InspectAll(mesh.Mesh);
        Assert.Equal(new[] { "alpha", "middle", "old", "zeta" }, all.Select(i => i.Actor));
        Assert.Equal(new[] { true, false, true, true }, all.Select(i => i.IsSocket));
        Assert.Equal(new[] { "alpha", "old", "zeta" }, MeshInspector.ActorNames(mesh.Mesh));
    }

    [Fact]
    public void TooLongPathIsReportedNotThrown()
    {
        using var root = new TempMesh();
        var mesh = new MeshDirectory(Path.Join(root.Path, new string('d', 100)));
        var info = MeshInspector.Inspect(mesh, "actor");
        Assert.False(info.PathWithinLimit);
        Assert.Equal(info.Path.Length, info.PathLength);
        Assert.False(info.Exists);
    }

    [Fact]
    public async Task ChmodZeroSocketCannotBeConnectedToExceptByRoot()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "locked", new SocketListenerOptions { SocketMode = 0 });
        var info = MeshInspector.Inspect(mesh.Mesh, "locked");
        Assert.Equal((UnixFileMode)0, info.Mode);

        if (Unix.IsRoot)
        {
            // Root bypasses permission checks (CAP_DAC_OVERRIDE) for access() and connect() alike, so a mode-000
            // socket is connectable for root. What is meaningful: CanConnect agrees with what a connect really does.
            // The other-user case (EACCES) is covered by CrossUserPermissionTests, which runs the peer as nobody.
            Assert.True(info.CanConnect);
            await mesh.Sender(dialAttempts: 1).SendAsync("locked", "root gets in"u8.ToArray()).Within();
            Assert.Equal("root gets in", (await listener.ReceiveAsync().Within()).GetText());
        }
        else
        {
            Assert.False(info.CanConnect);
            var error = await Assert.ThrowsAsync<AsyaTransportException>(async () => await mesh.Sender(dialAttempts: 5).SendAsync("locked", "x"u8.ToArray()).Within());
            Assert.Equal(AsyaErrorKind.PermissionDenied, error.Kind);
            Assert.Equal(1, error.Attempts); // permanent: not retried
        }
    }
}

/// <summary>
/// The mesh rule "every container runs as one UID", seen from another UID: the peer runs as nobody (setpriv) against
/// sockets this process owns. Needs root; skipped (visibly) otherwise.
/// </summary>
[Collection(Serial.Name)]
public class CrossUserPermissionTests
{
    private const uint Nobody = 65534;

    [AsAnotherUserFact]
    public async Task AnotherUserCannotConnectToA0755SocketButCanToA0666One()
    {
        using var mesh = new TempMesh();
        File.SetUnixFileMode(mesh.Path, (UnixFileMode)0b111_101_101); // the mesh volume is traversable by all
        await using var ownerOnly = SocketListener.Start(mesh.Mesh, "private", new SocketListenerOptions { SocketMode = (UnixFileMode)0b111_101_101 });
        await using var shared = SocketListener.Start(mesh.Mesh, "shared", new SocketListenerOptions { SocketMode = (UnixFileMode)0b110_110_110 });

        using (var inspect = PeerProcess.StartAsUser(Nobody, "inspect", mesh.Path, "private"))
        {
            Assert.Equal(new[] { $"euid={Nobody}", "exists=True", "socket=True", "canConnect=False", "mode=0755", "uid=0" }, await inspect.ExpectAsync("INSPECT "));
        }

        using (var inspect = PeerProcess.StartAsUser(Nobody, "inspect", mesh.Path, "shared"))
        {
            Assert.Contains("canConnect=True", await inspect.ExpectAsync("INSPECT "));
        }

        // EACCES is permanent: one attempt, not 5, and the error says why.
        using (var denied = PeerProcess.StartAsUser(Nobody, "send", mesh.Path, "private", "1", "10", "--dial-attempts", "5", "--dial-interval-ms", "200"))
        {
            var error = await denied.ExpectAsync("ERROR ");
            Assert.Equal(new[] { "PermissionDenied", "1" }, error[..2]);
            Assert.Equal(2, await denied.ExitCodeAsync());
        }

        using (var allowed = PeerProcess.StartAsUser(Nobody, "send", mesh.Path, "shared", "1", "10", "--tag", "nobody"))
        {
            await allowed.ExpectAsync("SENT 0 10 ");
            Assert.Equal(0, await allowed.ExitCodeAsync());
        }

        Assert.Equal("nobody-0", (await shared.ReceiveAsync().Within()).GetText()[..8]);
        Assert.Equal(0, ownerOnly.Counters.Received + ownerOnly.Counters.RejectedTotal);
    }

    [AsAnotherUserFact]
    public async Task AnotherUserCannotTakeOverASocketItCannotProbe()
    {
        using var mesh = new TempMesh();
        File.SetUnixFileMode(mesh.Path, (UnixFileMode)0b111_101_101);
        await using var owner = SocketListener.Start(mesh.Mesh, "mine", new SocketListenerOptions { SocketMode = (UnixFileMode)0b111_101_101 });
        var inode = Unix.Stat(owner.Address)!.Inode;

        // Its liveness probe gets EACCES: it cannot tell live from stale, so it must not replace the file.
        using (var intruder = PeerProcess.StartAsUser(Nobody, "receive", mesh.Path, "mine", "1"))
        {
            Assert.Equal("PermissionDenied", (await intruder.ExpectAsync("ERROR "))[0]);
            Assert.Equal(2, await intruder.ExitCodeAsync());
        }

        Assert.Equal(inode, Unix.Stat(owner.Address)!.Inode);
        await new SocketSender(mesh.Mesh, new SendOptions { ConnectAttempts = 1 }).SendAsync("mine", "still mine"u8.ToArray()).Within();
        Assert.Equal("still mine", (await owner.ReceiveAsync().Within()).GetText());
    }
}
