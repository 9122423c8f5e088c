using System.Management.Automation;

namespace AsyaSocket;

/// <summary>
/// Module-lifetime hooks: private dependency loading from import on; every listener stopped, and its socket
/// file removed, when the module is removed or pwsh exits.
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int _hooked;

    /// <inheritdoc />
    public void OnImport()
    {
        DependencyLoadContext.Register();
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => AsyaListenerRegistry.StopAll();
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AsyaListenerRegistry.StopAll();
        DependencyLoadContext.Unregister();
    }
}
