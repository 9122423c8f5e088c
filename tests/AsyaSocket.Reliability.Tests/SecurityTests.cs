using System.Collections.Concurrent;
using AsyaSocket.Core.Errors;
using AsyaSocket.Core.Sockets;
using AsyaSocket.Testing;
using FsCheck;
using FsCheck.Fluent;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// Item 6: hostile actor names stay inside the mesh or are refused; a symlink at the socket path is never followed,
/// replaced or deleted; the socket mode option is honoured exactly, whatever the umask, from the moment the socket
/// appears. (Bodies in verbose and debug output: tests/Pester/Reliability.Tests.ps1.)
/// </summary>
public sealed class SecurityTests
{
    public static TheoryData<string, string?> HostileNames => new()
    {
        // name, the file it must become in the mesh (null: refused)
        { "..", "...sock" },
        { "../..", "...sock" },
        { "../../etc/passwd", "passwd.sock" },
        { "/", ".sock" },
        { "///", ".sock" },
        { "a/../../b", "b.sock" },
        { "../", "...sock" },
        { ".", "..sock" },
        { "sub/dir/", "dir.sock" },
        { "..\\..\\evil", "..\\..\\evil.sock" },
        { "/etc/shadow", "shadow.sock" },
        { "evil\0.sock", null },
        { "\0", null },
        { "../\0/x", null },
        { new string('a', 300), null },
        { "../" + new string('b', 300), null },
        { new string('/', 300) + "ok", "ok.sock" },
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task AHostileActorNameStaysInsideTheMeshOrIsRefused(string name, string? fileInMesh)
    {
        using var mesh = TempMesh.InOwnParent();
        if (fileInMesh is null)
        {
            var refused = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, name));
            Assert.True(refused.Kind is AsyaErrorKind.InvalidActorName or AsyaErrorKind.AddressTooLong, refused.Kind.ToString());
            var sendRefused = await Assert.ThrowsAsync<AsyaTransportException>(() => mesh.Sender().SendAsync(name, new byte[1]).AsTask()).Within();
            Assert.Equal(refused.Kind, sendRefused.Kind);
            Assert.Contains(refused.Kind == AsyaErrorKind.InvalidActorName ? "NUL" : "bytes; Unix sockets allow at most 107", refused.Message, StringComparison.Ordinal);
            Assert.Empty(mesh.Entries());
        }
        else
        {
            await using (var listener = SocketListener.Start(mesh.Mesh, name))
            {
                Assert.Equal(Path.Join(mesh.Path, fileInMesh), listener.Address);
                Assert.Equal(new[] { fileInMesh }, mesh.Entries());
                await mesh.Sender().SendAsync(name, "in"u8.ToArray()).Within();
                Assert.Equal("in"u8.ToArray(), (await listener.ReceiveAsync().Within()).ToArray());
            }

            Assert.Empty(mesh.Entries());
        }

        // Nothing was created, or removed, next to the mesh.
        Assert.Equal(new[] { "m" }, Directory.GetFileSystemEntries(mesh.Parent).Select(Path.GetFileName));
    }

    [Fact]
    public void AnyActorNameMapsToAFileDirectlyInTheMeshOrIsRefused()
    {
        // Strings from a hostile alphabet (dots, slashes, backslashes, NUL, spaces, non-ASCII) and arbitrary ones.
        var mesh = new MeshDirectory(Path.Join(Path.GetTempPath(), "mesh"));
        var hostile = Gen.ArrayOf(Gen.Elements('.', '/', '\\', '\0', ' ', 'a', 'é', '\n')).Select(chars => new string(chars));
        var names = Gen.OneOf(hostile, ArbMap.Default.GeneratorFor<string>().Where(name => name is not null));
        Check.One(FrameFuzzTests.Quick(2000), Prop.ForAll(names.ToArbitrary(), name =>
        {
            try
            {
                var path = mesh.SocketPathFor(name);
                Assert.Equal(mesh.Path, Path.GetDirectoryName(path));
                var file = Path.GetFileName(path);
                Assert.EndsWith(".sock", file, StringComparison.Ordinal);
                Assert.DoesNotContain('/', file);
                Assert.DoesNotContain('\0', file);
                Assert.Equal(path, mesh.Path + "/" + file);
            }
            catch (AsyaTransportException error)
            {
                Assert.True(
                    (error.Kind == AsyaErrorKind.InvalidActorName && name.Contains('\0')) || error.Kind == AsyaErrorKind.AddressTooLong,
                    $"'{name}': {error.Kind}");
            }
        }));
    }

    public static TheoryData<string> SymlinkTargets => new() { "file", "directory", "live-socket", "stale-socket", "dangling" };

    [Theory]
    [MemberData(nameof(SymlinkTargets))]
    public async Task ASymlinkAtTheSocketPathIsNeverFollowedReplacedOrDeleted(string target)
    {
        using var mesh = TempMesh.InOwnParent();
        using var elsewhere = TempMesh.InOwnParent();
        var victim = Path.Join(elsewhere.Path, "victim.sock");
        SocketListener? live = null;
        switch (target)
        {
            case "file":
                File.WriteAllText(victim, "precious");
                break;
            case "directory":
                Directory.CreateDirectory(victim);
                break;
            case "live-socket":
                live = SocketListener.Start(elsewhere.Mesh, "victim");
                break;
            case "stale-socket":
                Unix.CreateStaleSocket(victim);
                break;
        }

        var link = mesh.SocketPath("planted");
        File.CreateSymbolicLink(link, victim);
        var victimBefore = Unix.Stat(victim);
        try
        {
            foreach (var force in new[] { false, true })
            {
                var error = Assert.Throws<AsyaTransportException>(() => SocketListener.Start(mesh.Mesh, "planted", new SocketListenerOptions { Force = force }));
                Assert.Equal(AsyaErrorKind.AddressOccupied, error.Kind);
                Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
                Assert.Equal("symbolic link", Unix.Stat(link)?.Type);
                Assert.Equal(victim, new FileInfo(link).LinkTarget);
                Assert.Equal(victimBefore, Unix.Stat(victim));
            }

            if (target == "file")
            {
                Assert.Equal("precious", File.ReadAllText(victim));
            }

            Assert.Equal(new[] { "planted.sock" }, mesh.Entries());
        }
        finally
        {
            if (live is not null)
            {
                await live.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ASymlinkSwappedInWhileListeningIsNotDeletedWhenTheListenerStops()
    {
        using var mesh = TempMesh.InOwnParent();
        using var elsewhere = TempMesh.InOwnParent();
        var victim = Path.Join(elsewhere.Path, "victim");
        File.WriteAllText(victim, "precious");
        var listener = SocketListener.Start(mesh.Mesh, "swapped", new SocketListenerOptions { SocketCheckInterval = TimeSpan.FromMilliseconds(100) });

        // Atomically replace our socket file with a symlink to the victim.
        var staging = Path.Join(mesh.Path, "staging");
        File.CreateSymbolicLink(staging, victim);
        File.Move(staging, listener.Address, overwrite: true);

        var error = await Assert.ThrowsAsync<AsyaTransportException>(() => listener.Completion).Within();
        Assert.Equal(AsyaErrorKind.ReceiverReplaced, error.Kind);
        await listener.DisposeAsync();
        Assert.Equal("symbolic link", Unix.Stat(listener.Address)?.Type);
        Assert.Equal("precious", File.ReadAllText(victim));
    }

    [Theory]
    [InlineData("666", "077")]
    [InlineData("600", "000")]
    [InlineData("660", "077")]
    [InlineData("777", "027")]
    [InlineData("700", "000")]
    public async Task TheSocketModeOptionIsHonouredExactlyWhateverTheUmask(string mode, string umask)
    {
        using var mesh = TempMesh.InOwnParent();
        using var peer = HarnessProcess.StartWithUmask(umask, "listen", mesh.Path, "moded", "--mode", mode);
        var path = await peer.ExpectAsync("READY ");
        Assert.Equal(Unix.Mode(mode), Unix.Stat(path)?.Mode);
    }

    [Fact]
    public async Task WithoutTheOptionTheModeComesFromTheUmaskLikeTheSidecar()
    {
        using var mesh = TempMesh.InOwnParent();
        using var peer = HarnessProcess.StartWithUmask("077", "listen", mesh.Path, "plain");
        var path = await peer.ExpectAsync("READY ");
        Assert.Equal(Unix.Mode("700"), Unix.Stat(path)?.Mode);
    }

    [Fact]
    public async Task TheRequestedModeIsInPlaceFromTheMomentTheSocketAppears()
    {
        // A watcher stats the path as fast as it can while listeners come and go: every socket it sees has the mode.
        using var mesh = TempMesh.InOwnParent();
        var path = mesh.SocketPath("watched");
        var seen = new ConcurrentBag<UnixFileMode>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (File.GetAttributes(path) != 0)
                    {
                        seen.Add(File.GetUnixFileMode(path));
                    }
                }
                catch (IOException)
                {
                }
            }
        });
        for (var i = 0; i < 30; i++)
        {
            await using var listener = SocketListener.Start(mesh.Mesh, "watched", new SocketListenerOptions { SocketMode = Unix.Mode("666") });
            await Task.Delay(2);
        }

        await stop.CancelAsync();
        await watcher.Within();
        Assert.NotEmpty(seen);
        Assert.All(seen, mode => Assert.Equal(Unix.Mode("666"), mode));
    }

    [AsAnotherUserFact]
    public async Task AnotherUserCanConnectExactlyWhenTheModeAllowsIt()
    {
        foreach (var (mode, allowed) in new[] { ("666", true), ("622", true), ("660", false), ("755", false), ("600", false) })
        {
            using var mesh = TempMesh.InOwnParent();
            await using var listener = SocketListener.Start(mesh.Mesh, "gate", new SocketListenerOptions { SocketMode = Unix.Mode(mode) });
            using var peer = HarnessProcess.StartAsUser(Unix.Nobody, "send", mesh.Path, "gate", "5");
            var line = await peer.NextLineAsync();
            Assert.True(allowed ? line.StartsWith("SENT 1 ", StringComparison.Ordinal) : line.StartsWith("ERROR PermissionDenied 1 ", StringComparison.Ordinal), $"mode {mode}: {line}");
            Assert.Equal(allowed ? 1 : 0, listener.Counters.Received);
        }
    }
}
