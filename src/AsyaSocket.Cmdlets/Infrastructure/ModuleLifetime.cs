using System.Management.Automation;

namespace AsyaSocket;

/// <summary>Stops every listener, removing its socket file, when the module is removed or pwsh exits.</summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static int _hooked;

    /// <inheritdoc />
    public void OnImport()
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => AsyaListenerRegistry.StopAll();
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => AsyaListenerRegistry.StopAll();
}
