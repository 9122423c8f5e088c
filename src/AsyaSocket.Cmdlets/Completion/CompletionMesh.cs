using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AsyaSocket.Core.Sockets;

namespace AsyaSocket.Completion;

/// <summary>
/// The mesh directory a completer should look in: the command line's -MeshPath resolved the way the cmdlet
/// will resolve it (against PowerShell's current location, PSDrives included, not the process directory),
/// else the environment, else the default.
/// </summary>
internal static class CompletionMesh
{
    /// <summary>The file-system path of the line's -MeshPath, or null when it has none (the environment or the default applies).</summary>
    public static string? PathFrom(IDictionary? fakeBoundParameters)
    {
        var meshPath = fakeBoundParameters?["MeshPath"] as string;
        return string.IsNullOrEmpty(meshPath) ? null : ProviderPath(meshPath);
    }

    private static string ProviderPath(string path)
    {
        // Completion runs on the pipeline thread of the runspace that asked for it: a nested command in
        // that runspace sees its current location and drives.
        if (Runspace.DefaultRunspace is null)
        {
            return Path.GetFullPath(path);
        }

        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("param($Path) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)").AddArgument(path);
        return shell.Invoke<string>().FirstOrDefault() ?? Path.GetFullPath(path);
    }
}
