using System.Text.RegularExpressions;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Where `dotnet build` laid out the module: output/AsyaSocket/&lt;Version&gt;/ under the repository root, with the
/// version from Directory.Build.props. ASYA_MODULE_TESTS_DIR points the suite at another laid-out copy.
/// </summary>
public static partial class LaidOutModule
{
    /// <summary>The module's name: manifest, assembly and help file are named after it.</summary>
    public const string Name = "AsyaSocket";

    /// <summary>Overrides the module folder the tests import.</summary>
    public const string DirectoryVariable = "ASYA_MODULE_TESTS_DIR";

    /// <summary>The folder holding AsyaSocket.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>&lt;Version&gt; from Directory.Build.props.</summary>
    public static string Version { get; } = ReadVersion(Path.Combine(RepositoryRoot, "Directory.Build.props"));

    /// <summary>output/AsyaSocket/&lt;Version&gt;, or the folder ASYA_MODULE_TESTS_DIR names.</summary>
    public static string Directory { get; } =
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(RepositoryRoot, "output", Name, Version);

    /// <summary>The laid-out manifest; fails with what to do when the module was not built.</summary>
    public static string Manifest
    {
        get
        {
            var manifest = Path.Combine(Directory, Name + ".psd1");
            if (!File.Exists(manifest))
            {
                throw new FileNotFoundException(
                    $"The laid-out module is missing: {manifest}. `dotnet build` lays it out (build/ModuleLayout.targets).",
                    manifest);
            }

            return manifest;
        }
    }

    private static string FindRepositoryRoot()
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
