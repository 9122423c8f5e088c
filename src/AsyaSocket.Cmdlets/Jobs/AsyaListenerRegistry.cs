using System.Collections.Concurrent;
using System.Management.Automation;

namespace AsyaSocket;

/// <summary>
/// The module's running listeners, so Get-AsyaListener and Stop-AsyaListener find them by name, and
/// module removal or process exit stops them and removes their socket files.
/// </summary>
public static class AsyaListenerRegistry
{
    private static readonly ConcurrentDictionary<Guid, AsyaListenerJob> Jobs = new();

    /// <summary>Running listeners, oldest first.</summary>
    public static IReadOnlyList<AsyaListenerJob> All => Jobs.Values.OrderBy(job => job.Id).ToList();

    /// <summary>Listeners whose name matches the wildcard pattern.</summary>
    public static IEnumerable<AsyaListenerJob> Find(string namePattern)
    {
        var pattern = new WildcardPattern(namePattern, WildcardOptions.IgnoreCase);
        return All.Where(job => pattern.IsMatch(job.Name));
    }

    /// <summary>True when a running listener has this exact name.</summary>
    public static bool Contains(string name) =>
        Jobs.Values.Any(job => string.Equals(job.Name, name, StringComparison.OrdinalIgnoreCase));

    internal static void Add(AsyaListenerJob job) => Jobs[job.InstanceId] = job;

    internal static void Remove(AsyaListenerJob job) => Jobs.TryRemove(job.InstanceId, out _);

    /// <summary>Stops every listener (module removal, process exit); never throws. The module's own: scripts stop listeners with Stop-AsyaListener.</summary>
    internal static void StopAll()
    {
        foreach (var job in All)
        {
            try
            {
                job.StopJob();
            }
            catch (Exception)
            {
                // Shutting down: a listener that fails to stop must not keep the others running.
            }
        }
    }
}
