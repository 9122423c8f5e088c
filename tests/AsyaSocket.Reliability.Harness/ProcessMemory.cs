using System.Globalization;

namespace AsyaSocket.Reliability;

/// <summary>This process's resident memory as the kernel counts it (/proc/self/status).</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long PeakRss => Read("VmHWM");

    /// <summary>Current resident set size (VmRSS) in bytes.</summary>
    public static long CurrentRss => Read("VmRSS");

    /// <summary>Bytes as MiB with one decimal.</summary>
    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var kib = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }
}
