using System.Diagnostics;
using AsyaSocket.Testing;

namespace AsyaSocket.Reliability.Tests;

/// <summary>
/// The reliability harness (tests/AsyaSocket.Reliability.Harness) as a separate process: `dotnet &lt;test output&gt;/AsyaSocket.Reliability.Harness.dll`.
/// The process handling (bounded line reads, transcript, SIGKILL on dispose) is the shared <see cref="ChildProcess"/>;
/// this adds the ways the reliability tests start it (extra environment, another user, a given umask).
/// </summary>
public sealed class HarnessProcess : ChildProcess
{
    private HarnessProcess(ProcessStartInfo startInfo)
        : base(startInfo, "harness")
    {
    }

    /// <summary>The harness's main assembly, next to the tests (a project reference).</summary>
    public static string HarnessDll { get; } = Path.Combine(AppContext.BaseDirectory, "AsyaSocket.Reliability.Harness.dll");

    /// <summary>Starts the harness with <paramref name="args"/>.</summary>
    public static HarnessProcess Start(params string[] args) => new(HarnessStartInfo(DotnetHost, [HarnessDll, .. args], null));

    /// <summary>Starts the harness with extra environment variables.</summary>
    public static HarnessProcess StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        new(HarnessStartInfo(DotnetHost, [HarnessDll, .. args], environment));

    /// <summary>Starts the harness as another user (uid and gid <paramref name="uid"/>, no supplementary groups) through setpriv; needs root.</summary>
    public static HarnessProcess StartAsUser(uint uid, params string[] args) =>
        new(HarnessStartInfo(Unix.SetprivPath!, [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", DotnetHost, SharedHarnessDll.Value, .. args], null));

    /// <summary>
    /// A copy of the harness that any user can read and run: the checkout (and so the test output) may sit in a
    /// directory only its owner can enter, such as a private temporary directory on a CI machine.
    /// </summary>
    private static readonly Lazy<string> SharedHarnessDll = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("rlh").FullName;
        File.SetUnixFileMode(directory, Unix.Mode("755"));
        foreach (var file in new[] { "AsyaSocket.Reliability.Harness.dll", "AsyaSocket.Reliability.Harness.runtimeconfig.json", "AsyaSocket.Reliability.Harness.deps.json", "AsyaSocket.Core.dll" })
        {
            var copy = Path.Combine(directory, file);
            File.Copy(Path.Combine(AppContext.BaseDirectory, file), copy);
            File.SetUnixFileMode(copy, Unix.Mode("644"));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return Path.Combine(directory, "AsyaSocket.Reliability.Harness.dll");
    });

    /// <summary>Starts the harness under /bin/sh with the given umask (octal text).</summary>
    public static HarnessProcess StartWithUmask(string umask, params string[] args) =>
        new(HarnessStartInfo("/bin/sh", ["-c", $"umask {umask} && exec \"$0\" \"$@\"", DotnetHost, HarnessDll, .. args], null));

    /// <summary>The next line, which must start with <paramref name="prefix"/>; returns the rest of it.</summary>
    public Task<string> ExpectAsync(string prefix, TimeSpan? limit = null) => ExpectLineAsync(prefix, limit);

    private static ProcessStartInfo HarnessStartInfo(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = StartInfo(fileName, args);
        // A peer run as another user cannot write root's home; nothing it does needs one.
        startInfo.Environment["HOME"] = Path.GetTempPath();
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }
}
