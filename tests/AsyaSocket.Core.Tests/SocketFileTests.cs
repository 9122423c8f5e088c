using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// Protocol §4 and §6: what a listener does with what is already at its path (stale socket, live socket, regular
/// file, symbolic link, directory), the socket file's mode, and noticing that another listener took the name over.
/// </summary>
public class SocketFileTests
{
    private static readonly SocketListenerOptions FastCheck = new() { SocketCheckInterval = TimeSpan.FromMilliseconds(50) };

    [Fact]
    public async Task StaleSocketFileIsReplacedOnListen()
    {
        using var mesh = new TempMesh();
        var path = mesh.SocketPath("a");
        Unix.CreateStaleSocket(path);
        var staleInode = Unix.Stat(path)!.Inode;

        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var now = Unix.Stat(path)!;
        Assert.True(now.IsSocket);
        Assert.NotEqual(staleInode, now.Inode);
        await mesh.Sender(dialAttempts: 1).SendAsync("a", "fresh"u8.ToArray()).Within();
        Assert.Equal("fresh", (await listener.ReceiveAsync().Within()).GetText());
        Assert.Equal(new[] { "a.sock" }, mesh.Entries());
    }

    [Fact]
    public async Task LiveSocketIsSocketInUseAndTheOwnerKeepsServing()
    {
        using var mesh = new TempMesh();
        await using var owner = SocketListener.Start(mesh.Mesh, "a");
        var inode = Unix.Stat(owner.Address)!.Inode;

        var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "a"));
        Assert.Equal(AsyaErrorKind.ActorInUse, error.Kind);
        Assert.Equal(owner.Address, error.Address);

        Assert.Equal(inode, Unix.Stat(owner.Address)!.Inode);
        Assert.Equal(new[] { "a.sock" }, mesh.Entries()); // no temporary socket left behind
        await mesh.Sender().SendAsync("a", "still mine"u8.ToArray()).Within();
        Assert.Equal("still mine", (await owner.ReceiveAsync().Within()).GetText());
        Assert.True(!owner.Completion.IsCompleted);
    }

    [Fact]
    public async Task ForceTakesOverAndTheOldListenerNoticesItsFileWasReplaced()
    {
        using var mesh = new TempMesh();
        var old = SocketListener.Start(mesh.Mesh, "a", FastCheck);
        await using var taker = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = true });
        var takerInode = Unix.Stat(taker.Address)!.Inode;

        var fault = await Assert.ThrowsAsync<AsyaTransportException>(() => old.Completion.Within());
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, fault.Kind);

        // Disposing the replaced listener must not delete the file that now belongs to the other one.
        await old.DisposeAsync();
        Assert.Equal(takerInode, Unix.Stat(taker.Address)?.Inode);
        await mesh.Sender().SendAsync("a", "to the new owner"u8.ToArray()).Within();
        Assert.Equal("to the new owner", (await taker.ReceiveAsync().Within()).GetText());

        // The replaced listener reports why it stopped.
        var receive = await Assert.ThrowsAsync<AsyaTransportException>(async () => await old.ReceiveAsync().Within());
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, receive.Kind);
    }

    [Fact]
    public async Task DisposingBeforeNoticingTheReplacementStillLeavesTheNewFileAlone()
    {
        using var mesh = new TempMesh();
        var old = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { SocketCheckInterval = TimeSpan.FromHours(1) });
        await using var taker = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = true });
        var takerInode = Unix.Stat(taker.Address)!.Inode;

        await old.DisposeAsync(); // its periodic check has not run: the release itself must check the file is still its own
        Assert.Equal(takerInode, Unix.Stat(taker.Address)?.Inode);
        await mesh.Sender(dialAttempts: 1).SendAsync("a", "x"u8.ToArray()).Within();
        Assert.Equal("x", (await taker.ReceiveAsync().Within()).GetText());
    }

    [Fact]
    public async Task ListenerNoticesItsSocketFileWasDeleted()
    {
        using var mesh = new TempMesh();
        var listener = SocketListener.Start(mesh.Mesh, "a", FastCheck);
        File.Delete(listener.Address);

        var fault = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.Completion.Within());
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, fault.Kind);
        await listener.DisposeAsync();
        Assert.Empty(mesh.Entries());
    }

    [Fact]
    public async Task ListenerReplacedByAnotherProcessNoticesAndLeavesTheNewFileAlone()
    {
        using var mesh = new TempMesh();
        var old = SocketListener.Start(mesh.Mesh, "a", FastCheck);
        using var peer = PeerProcess.Start("raw-receiver", mesh.Path, "a", "good");
        await peer.ReadyAsync(); // the raw receiver removed our file and bound its own, as the sidecar does

        var fault = await Assert.ThrowsAsync<AsyaTransportException>(() => old.Completion.Within());
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, fault.Kind);
        old.Dispose();
        Assert.True(Unix.IsSocket(old.Address));
        await mesh.Sender().SendAsync("a", "peer|"u8.ToArray()).Within();
        Assert.Equal("peer", (await peer.ExpectAsync("FRAME "))[2]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RegularFileAtThePathIsNotASocketAndIsNeverDeleted(bool force)
    {
        using var mesh = new TempMesh();
        var path = mesh.SocketPath("a");
        File.WriteAllText(path, "precious");

        var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = force }));
        Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
        Assert.Contains("regular file", error.Message);
        Assert.Equal("precious", File.ReadAllText(path));
        Assert.Equal(new[] { "a.sock" }, mesh.Entries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SymbolicLinkAtThePathIsNeitherFollowedNorDeleted(bool force)
    {
        using var mesh = new TempMesh();
        var target = Path.Join(mesh.Path, "target.txt");
        File.WriteAllText(target, "target");
        var path = mesh.SocketPath("a");
        File.CreateSymbolicLink(path, target);

        var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = force }));
        Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal("symbolic link", Unix.Stat(path)!.Type);
        Assert.Equal(target, new FileInfo(path).LinkTarget);
        Assert.Equal("target", File.ReadAllText(target));
        Assert.Equal(new[] { "a.sock", "target.txt" }, mesh.Entries());
    }

    [Fact]
    public async Task SymbolicLinkToALiveSocketIsNotFollowedNorProbed()
    {
        using var mesh = new TempMesh();
        var elsewhere = Directory.CreateDirectory(Path.Join(mesh.Path, "e")).FullName;
        await using var other = SocketListener.Start(new MeshDirectory(elsewhere), "real");
        File.CreateSymbolicLink(mesh.SocketPath("a"), other.Address);

        var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = true }));
        Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
        Assert.Equal("symbolic link", Unix.Stat(mesh.SocketPath("a"))!.Type);
        await Task.Delay(Bounds.Quiet);
        Assert.Equal(0, other.Counters.RejectedTotal); // no connect probe went through the link
        Assert.True(Unix.IsSocket(other.Address));
    }

    [Fact]
    public void TemporarySocketNamesAreLowercaseHexOfTheAskedLengthWithEveryDigitRandom()
    {
        var names = Enumerable.Range(0, 2000).Select(_ => SocketFileClaim.RandomHex(16)).ToList();

        Assert.All(names, name => Assert.Matches("^[0-9a-f]{16}$", name));
        Assert.Equal(names.Count, names.Distinct().Count());
        // A Guid's version or variant digit taken along would hold one position to one or four values.
        for (var position = 0; position < 16; position++)
        {
            Assert.True(names.Select(name => name[position]).Distinct().Count() == 16, $"digit {position} is not random");
        }

        Assert.Matches("^[0-9a-f]{4}$", SocketFileClaim.RandomHex(4));
    }

    [Fact]
    public void DirectoryAtThePathIsNotASocket()
    {
        using var mesh = new TempMesh();
        Directory.CreateDirectory(mesh.SocketPath("a"));
        var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { Force = true }));
        Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
        Assert.Contains("directory", error.Message);
        Assert.True(Directory.Exists(mesh.SocketPath("a")));
    }

    [Theory]
    [InlineData(0b110_110_110)] // 0666: reachable by every UID
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b111_101_000)] // 0750
    public async Task SocketModeOptionSetsTheFileMode(int mode)
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a", new SocketListenerOptions { SocketMode = (UnixFileMode)mode });
        Assert.Equal((UnixFileMode)mode, Unix.Stat(listener.Address)!.Mode);
        await mesh.Sender().SendAsync("a", "x"u8.ToArray()).Within();
        Assert.Equal(1, (await listener.ReceiveAsync().Within()).Length);
    }

    [Fact]
    public async Task WithoutSocketModeTheFileModeComesFromTheUmaskLikeTheSidecar()
    {
        using var mesh = new TempMesh();
        await using var listener = SocketListener.Start(mesh.Mesh, "a");
        var expected = (UnixFileMode)0b111_111_111 & ~Unix.Umask;
        Assert.Equal(expected, Unix.Stat(listener.Address)!.Mode);
    }
}
