using System.Runtime.CompilerServices;

namespace AsyaSocket.Infrastructure;

/// <summary>An Asya sidecar declared in a compose file, in the module's own types.</summary>
internal sealed record ComposeSidecar(string Service, string Actor, string? Transport, string? User);

/// <summary>
/// The one place that touches AsyaSocket.Compose (and so YamlDotNet). Not inlined, so those assemblies
/// load only when a compose file is actually read, through the private load context.
/// </summary>
internal static class ComposeSidecars
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static IReadOnlyList<ComposeSidecar> Read(string path) =>
        Compose.ComposeFileReader.ReadActors(path)
            .Select(actor => new ComposeSidecar(actor.Service, actor.ActorName, actor.Transport, actor.User))
            .ToList();
}
