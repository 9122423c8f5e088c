using System.Globalization;

namespace AsyaSocket.Benchmarks.Limit;

/// <summary>
/// The line a .NET receiver prints when it stops: its peak RSS and what that is made of, its collections, and what it
/// allocated a message. The core's and the bare receivers print the same fields, so the run can set the core's memory
/// beside the runtime's own floor. Allocation is counted from the first message on, so start-up is left out.
/// </summary>
internal sealed class ReceiverReport(string implementation)
{
    private long _messages;
    private long _bodyBytes;
    private long _allocatedAtFirst;

    /// <summary>Messages counted so far.</summary>
    public long Messages => _messages;

    /// <summary>Counts one message of <paramref name="length"/> body bytes; true for the first.</summary>
    public bool Count(int length)
    {
        if (_messages++ == 0)
        {
            _allocatedAtFirst = GC.GetTotalAllocatedBytes(precise: true);
            return true;
        }

        _bodyBytes += length;
        return false;
    }

    /// <summary>
    /// The RSS line. Call it while the receiver still holds what it keeps: garbage and what is still held tell apart a
    /// heap that grows from one that leaks, so it gives the heap as the last collection left it, then what a full
    /// collection keeps (counted apart from the run's collections).
    /// </summary>
    public string Line()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtFirst;
        var (gen0, gen2) = (GC.CollectionCount(0), GC.CollectionCount(2));
        var heapKib = GC.GetGCMemoryInfo().HeapSizeBytes / 1024;
        var liveKib = GC.GetTotalMemory(forceFullCollection: true) / 1024;
        var perMessage = _messages > 1 ? allocated / (double)(_messages - 1) : 0;
        var bodyPerMessage = _messages > 1 ? _bodyBytes / (double)(_messages - 1) : 0;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"RSS impl={implementation} messages={_messages} peak_kib={Status("VmHWM")} file_kib={Status("RssFile")} gen0_budget_kib={Gen0BudgetKib()} gen0={gen0} gen2={gen2} heap_kib={heapKib} live_kib={liveKib} alloc_per_msg={perMessage:F0} body_per_msg={bodyPerMessage:F0}");
    }

    /// <summary>
    /// A field of /proc/self/status in KiB: VmHWM, the most resident memory the process ever had; RssFile, the part of
    /// it that is files mapped (the runtime's own libraries and assemblies, shared with every .NET process).
    /// </summary>
    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    // The most the GC lets gen0 allocate before it collects, as the runtime reports it: sized from the L3 cache the
    // CPU reports unless DOTNET_GCgen0size sets it. Garbage up to this much is resident before the first collection.
    private static long Gen0BudgetKib() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var budget) ? Convert.ToInt64(budget, CultureInfo.InvariantCulture) / 1024 : -1;
}
