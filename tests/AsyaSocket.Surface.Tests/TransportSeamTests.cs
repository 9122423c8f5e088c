using System.Text.RegularExpressions;

namespace AsyaSocket.Surface.Tests;

/// <summary>
/// The cmdlets speak only to the core's transport-neutral abstractions: no file of the commands, jobs or
/// output objects names a type of the socket transport (AsyaSocket.Core.Sockets), so a broker transport
/// plugs in at the transport factory alone; and the neutral core itself names none either. Read from the
/// sources, code only (comments and strings aside).
/// </summary>
public sealed partial class TransportSeamTests
{
    private const string SocketsNamespace = "AsyaSocket.Core.Sockets";
    private static readonly string[] CmdletFolders = { "Commands", "Jobs", "Objects" };

    // Test-AsyaMesh checks a socket mesh itself (file types, owners, modes, a connect probe): the one cmdlet that may.
    private static readonly string[] SocketChecks = { "Commands/TestAsyaMeshCommand.cs" };

    private static string Repository => ModuleUnderTest.Instance.RepositoryRoot;

    /// <summary>Every type the socket transport's sources declare.</summary>
    public static IReadOnlyList<string> SocketTypeNames { get; } = Directory
        .EnumerateFiles(Path.Combine(Repository, "src", "AsyaSocket.Core", "Sockets"), "*.cs", SearchOption.AllDirectories)
        .SelectMany(file => TypeDeclaration().Matches(File.ReadAllText(file)).Select(match => match.Groups["name"].Value))
        .Distinct(StringComparer.Ordinal)
        .ToList();

    [Fact]
    public void No_command_job_or_output_object_names_a_socket_type()
    {
        var cmdlets = Path.Combine(Repository, "src", "AsyaSocket.Cmdlets");
        var problems = new List<string>();
        foreach (var folder in CmdletFolders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(cmdlets, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(cmdlets, file).Replace('\\', '/');
                if (SocketChecks.Contains(relative))
                {
                    continue;
                }

                problems.AddRange(SocketReferences(File.ReadAllText(file)).Select(name => $"{relative} names {name}."));
            }
        }

        ModuleUnderTest.AssertNone(problems, "Cmdlet files that name the socket transport (use IAsyaTransport; only Infrastructure/TransportFactory.cs opens a socket transport)");
    }

    [Fact]
    public void The_neutral_core_names_no_socket_type()
    {
        // The seam itself (Transport/, Errors/) and what every transport shares (Envelopes/, Actors/) stand alone.
        var core = Path.Combine(Repository, "src", "AsyaSocket.Core");
        var problems = new List<string>();
        foreach (var folder in new[] { "Transport", "Errors", "Envelopes", "Actors" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(core, file).Replace('\\', '/');
                problems.AddRange(SocketReferences(File.ReadAllText(file)).Select(name => $"{relative} names {name}."));
            }
        }

        ModuleUnderTest.AssertNone(problems, "Neutral core files that name the socket transport");
    }

    [Fact]
    public void The_socket_types_are_read_from_the_sources()
    {
        // Without these the check above would pass on nothing.
        Assert.Contains("SocketTransport", SocketTypeNames);
        Assert.Contains("SocketListener", SocketTypeNames);
        Assert.Contains("MeshDirectory", SocketTypeNames);
        Assert.Contains("SocketListenerOptions", SocketTypeNames);
    }

    [Fact]
    public void The_check_sees_code_and_passes_over_comments_and_strings()
    {
        const string Code = """
            using AsyaSocket.Core.Sockets;
            // a SocketListener in a comment
            /// <summary>A MeshDirectory in documentation.</summary>
            var check = "MeshDirectory"; var text = $"at {path}: SocketTransport";
            var options = new SocketListenerOptions { Force = true };
            """;
        Assert.Equal(new[] { SocketsNamespace, "SocketListenerOptions" }, SocketReferences(Code));
        Assert.Empty(SocketReferences("var transport = TransportFactory.Open(target); // not a MeshDirectory"));
    }

    [Fact]
    public void The_socket_checks_exception_is_a_file_that_exists()
    {
        foreach (var file in SocketChecks)
        {
            Assert.True(File.Exists(Path.Combine(Repository, "src", "AsyaSocket.Cmdlets", file)), $"{file} is listed as Test-AsyaMesh's socket checks but does not exist.");
        }
    }

    private static List<string> SocketReferences(string source)
    {
        var code = CommentOrString().Replace(source, " ");
        var found = new List<string>();
        if (code.Contains(SocketsNamespace, StringComparison.Ordinal))
        {
            found.Add(SocketsNamespace);
        }

        found.AddRange(Identifier().Matches(code).Select(match => match.Value).Where(SocketTypeNames.Contains).Distinct(StringComparer.Ordinal));
        return found;
    }

    [GeneratedRegex(@"^(?:public |internal )?(?:sealed |static |abstract |partial |readonly )*(?:record struct|class|record|struct|enum|interface)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    // Character literals, line and block comments, verbatim, raw and regular strings (interpolations included: a cmdlet's code does not hide in them).
    [GeneratedRegex(@"'(?:\\.|[^'\\])'|//[^\n]*|/\*.*?\*/|""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|\$?""(?:\\.|[^""\\\n])*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();
}
