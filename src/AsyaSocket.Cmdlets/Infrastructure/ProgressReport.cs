using System.Diagnostics;
using System.Management.Automation;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// One Write-Progress activity of a cmdlet, written from the pipeline thread only: nothing for work that is
/// over quickly (the first record waits <see cref="ShowAfter"/>), at most ten updates a second, and a
/// Completed record at the end when anything was shown. $ProgressPreference = 'SilentlyContinue' silences it,
/// as it does every Write-Progress.
/// </summary>
internal sealed class ProgressReport
{
    private static readonly TimeSpan ShowAfter = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private static int _nextId = 0x4153;

    private readonly Cmdlet _cmdlet;
    private readonly string _activity;
    private readonly int _id = Interlocked.Increment(ref _nextId);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastWritten;
    private bool _shown;

    public ProgressReport(Cmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _activity = activity;
    }

    /// <summary>True when an update now would be written: callers check it before they format a status line per record.</summary>
    public bool IsDue
    {
        get
        {
            var elapsed = _clock.Elapsed;
            return elapsed >= ShowAfter && (!_shown || elapsed - _lastWritten >= MinInterval);
        }
    }

    /// <summary>Shows where the work is; <paramref name="now"/> writes at once (a retry the user should see).</summary>
    public void Update(string status, int percent = -1, TimeSpan? remaining = null, bool now = false)
    {
        if (!now && !IsDue)
        {
            return;
        }

        _lastWritten = _clock.Elapsed;
        _shown = true;
        _cmdlet.WriteProgress(new ProgressRecord(_id, _activity, status)
        {
            PercentComplete = Math.Clamp(percent, -1, 100),
            SecondsRemaining = remaining is { } left ? (int)Math.Max(0, Math.Ceiling(left.TotalSeconds)) : -1,
        });
    }

    /// <summary>Clears the bar, when one was shown.</summary>
    public void Complete()
    {
        if (!_shown)
        {
            return;
        }

        _shown = false;
        _cmdlet.WriteProgress(new ProgressRecord(_id, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }
}
