using System.Diagnostics;
using System.Globalization;
using AsyaSocket.Testing;

namespace AsyaSocket.Core.Tests;

/// <summary>
/// The test peer (tests/AsyaSocket.TestPeer) running as a separate process: `dotnet &lt;test output&gt;/testpeer/AsyaSocket.TestPeer.dll`.
/// The process handling (bounded line reads, transcript, kill on dispose) is the shared <see cref="ChildProcess"/>;
/// the peer is also told to exit on its own after <see cref="SelfDeadline"/>.
/// </summary>
public sealed class PeerProcess : ChildProcess
{
    /// <summary>The peer exits on its own after this, whatever happens to the test.</summary>
    private static readonly TimeSpan SelfDeadline = TimeSpan.FromSeconds(60);

    private PeerProcess(ProcessStartInfo startInfo)
        : base(startInfo, "peer")
    {
    }

    /// <summary>The peer's main assembly, copied next to the tests by the test project.</summary>
    public static string PeerDll { get; } = Path.Combine(AppContext.BaseDirectory, "testpeer", "AsyaSocket.TestPeer.dll");

    /// <summary>Starts the peer with <paramref name="args"/>.</summary>
    public static PeerProcess Start(params string[] args) => new(PeerStartInfo(DotnetHost, [PeerDll, .. args]));

    /// <summary>Starts the peer as another user (uid and gid <paramref name="uid"/>) through setpriv; needs root.</summary>
    public static PeerProcess StartAsUser(uint uid, params string[] args)
    {
        var startInfo = PeerStartInfo(Unix.SetprivPath ?? "setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", DotnetHost, PeerDll, .. args]);
        startInfo.Environment["HOME"] = Path.GetTempPath();
        return new PeerProcess(startInfo);
    }

    /// <summary>The next line, which must start with <paramref name="prefix"/>; returns the words after the prefix.</summary>
    public async Task<string[]> ExpectAsync(string prefix, TimeSpan? limit = null) =>
        (await ExpectLineAsync(prefix, limit)).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Waits for "READY &lt;path&gt;" and returns the path.</summary>
    public async Task<string> ReadyAsync() => string.Join(' ', await ExpectAsync("READY "));

    private static ProcessStartInfo PeerStartInfo(string fileName, IEnumerable<string> args) =>
        StartInfo(fileName, [.. args, "--deadline-ms", ((int)SelfDeadline.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]);
}
