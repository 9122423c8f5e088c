using System.Diagnostics.Tracing;

namespace AsyaSocket.Reliability.Fuzz;

/// <summary>
/// Watches the runtime's allocation ticks (GCAllocationTick, raised at least once per ~100 KB allocated, carrying
/// the size and type of the allocation that crossed the line) and keeps the largest <c>byte[]</c> seen. Any single
/// array of 100 KB or more always raises a tick, so with a cap of at least that, a buffer sized from a length over
/// the cap cannot go unseen.
/// </summary>
public sealed class AllocationWatch : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;

    private long _largestByteArray;
    private long _ticks;
    private volatile bool _enabled;

    /// <summary>The largest byte[] allocation reported since the watch started (its object size, header included).</summary>
    public long LargestByteArray => Interlocked.Read(ref _largestByteArray);

    /// <summary>Allocation ticks seen (a sign that the watch works at all).</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>True once the runtime's event source was enabled.</summary>
    public bool Enabled => _enabled;

    /// <summary>Forgets what was seen so far.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _largestByteArray, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
            _enabled = true;
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null || eventData.Payload is null)
        {
            return;
        }

        Interlocked.Increment(ref _ticks);
        var typeName = Payload(eventData, "TypeName") as string;
        if (typeName != "System.Byte[]")
        {
            return;
        }

        // ObjectSize (V4) is the allocation that raised the tick; older payloads only have the amount since the last tick.
        var size = Payload(eventData, "ObjectSize") ?? Payload(eventData, "AllocationAmount64");
        if (size is null)
        {
            return;
        }

        var value = Convert.ToInt64(size, System.Globalization.CultureInfo.InvariantCulture);
        long seen;
        while (value > (seen = Interlocked.Read(ref _largestByteArray)))
        {
            if (Interlocked.CompareExchange(ref _largestByteArray, value, seen) == seen)
            {
                break;
            }
        }
    }

    private static object? Payload(EventWrittenEventArgs eventData, string name)
    {
        var index = eventData.PayloadNames!.IndexOf(name);
        return index >= 0 ? eventData.Payload![index] : null;
    }
}
