using System.Reflection;
using System.Runtime.Loader;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// The module's private AssemblyLoadContext. Third-party libraries (YamlDotNet, RabbitMQ.Client) live in the module's
/// dependencies/ folder and load only here, so another module that ships its own copy can never collide
/// with ours: each module sees the version it was built with.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    // The only assemblies the default context may ask for; everything they need resolves in this context,
    // except what is not in dependencies/ (AsyaSocket.Core, the framework), which stays shared with the module.
    private static readonly HashSet<string> BridgeAssemblies = new(StringComparer.Ordinal) { "AsyaSocket.Compose", "AsyaSocket.RabbitMQ" };

    private static readonly string DependencyDirectory =
        Path.Join(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "dependencies");

    private static readonly DependencyLoadContext Instance = new();

    private DependencyLoadContext()
        : base("AsyaSocket.Dependencies")
    {
    }

    /// <summary>Lets the default context find the bridge assembly here; call before any bridge type is used.</summary>
    public static void Register() => Default.Resolving += ResolveBridge;

    /// <summary>Undoes <see cref="Register"/>.</summary>
    public static void Unregister() => Default.Resolving -= ResolveBridge;

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Join(DependencyDirectory, assemblyName.Name + ".dll");
        // Framework assemblies are not in dependencies/: returning null shares them with the default context.
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    private static Assembly? ResolveBridge(AssemblyLoadContext context, AssemblyName name) =>
        name.Name is { } simple && BridgeAssemblies.Contains(simple) ? Instance.LoadFromAssemblyName(name) : null;
}
