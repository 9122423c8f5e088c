using System.Text.RegularExpressions;

namespace AsyaSocket.Testing;

/// <summary>
/// The checkout the tests run from: its root (the folder holding AsyaSocket.slnx, found above the test assembly)
/// and the version in Directory.Build.props, which names the laid-out module's folder.
/// </summary>
public static partial class RepositoryCheckout
{
    /// <summary>The folder holding AsyaSocket.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>&lt;Version&gt; from Directory.Build.props.</summary>
    public static string Version { get; } = ReadVersion(Path.Combine(Root, "Directory.Build.props"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AsyaSocket.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No AsyaSocket.slnx above {AppContext.BaseDirectory}.");
    }

    private static string ReadVersion(string propsPath)
    {
        var match = VersionElement().Match(File.ReadAllText(propsPath));
        return match.Success ? match.Groups[1].Value.Trim() : throw new InvalidDataException($"{propsPath} has no <Version>.");
    }

    [GeneratedRegex(@"<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
