using System.Globalization;
using System.Management.Automation;
using AsyaSocket.Core.Transport;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// Tells the user of a foreground receive about frames the listener refused as too large, which otherwise
/// show only in its counters: the sender sees its connection closed, the receiving user saw nothing.
/// Read on the pipeline thread only.
/// </summary>
internal sealed class RefusedFrameReport
{
    /// <summary>How often a waiting receive looks at the counters.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(250);

    private const string FrameTooLarge = "FrameTooLarge";
    private readonly IAsyaReceiver _receiver;
    private long _reported;

    public RefusedFrameReport(IAsyaReceiver receiver) => _receiver = receiver;

    /// <summary>Writes a warning for the frames refused since the last call.</summary>
    public void WriteNew(Cmdlet cmdlet)
    {
        var refused = _receiver.Counters.RejectedFor(FrameTooLarge);
        if (refused <= _reported)
        {
            return;
        }

        var count = refused - _reported;
        _reported = refused;
        var counters = _receiver.Counters;
        var announced = counters.LastTooLargeLength is { } length ? $" (the last announced {length.ToString("N0", CultureInfo.InvariantCulture)} bytes)" : string.Empty;
        cmdlet.WriteWarning(
            $"Refused {count} frame(s) sent to '{_receiver.Actor}' as larger than the {SendOptions.DefaultMaxBodyLength / (1024 * 1024)} MiB cap{announced}; " +
            "their senders saw the connection close without an ack.");
    }
}
