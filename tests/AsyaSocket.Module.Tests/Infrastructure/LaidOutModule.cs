using AsyaSocket.Testing;

namespace AsyaSocket.Module.Tests;

/// <summary>
/// Where `dotnet build` laid out the module: output/AsyaSocket/&lt;Version&gt;/ under the repository root, with the
/// version from Directory.Build.props. ASYA_MODULE_TESTS_DIR points the suite at another laid-out copy.
/// </summary>
public static class LaidOutModule
{
    /// <summary>The module's name: manifest, assembly and help file are named after it.</summary>
    public const string Name = "AsyaSocket";

    /// <summary>Overrides the module folder the tests import.</summary>
    public const string DirectoryVariable = "ASYA_MODULE_TESTS_DIR";

    /// <summary>The folder holding AsyaSocket.slnx.</summary>
    public static string RepositoryRoot => RepositoryCheckout.Root;

    /// <summary>&lt;Version&gt; from Directory.Build.props.</summary>
    public static string Version => RepositoryCheckout.Version;

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
}
