using System.Management.Automation;

namespace AsyaSocket.Commands;

/// <summary>
/// A mesh cmdlet that sends to actors (Send-AsyaMessage, and Start-AsyaActor for what its script forwards):
/// the connect-retry parameters, declared once with the sidecar's defaults (60 attempts, 0.5 s apart).
/// </summary>
public abstract class SendingMeshCmdlet : MeshCmdlet
{
    /// <summary>Connect attempts before giving up (the sidecar's 60); alias -MaximumRetryCount, as Invoke-WebRequest names it.</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    [Alias("MaximumRetryCount")]
    public int RetryCount { get; set; } = 60;

    /// <summary>Seconds between connect attempts (the sidecar's 0.5), in seconds like -TimeoutSec and Invoke-WebRequest -RetryIntervalSec.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public double RetryIntervalSec
    {
        get => RetryInterval.TotalSeconds;
        set => RetryInterval = TimeSpan.FromSeconds(value);
    }

    /// <summary>The same pause in milliseconds: the old name, kept (hidden) so existing scripts work. Use -RetryIntervalSec.</summary>
    [Parameter(DontShow = true)]
    [ValidateRange(0, 3600000)]
    public int RetryIntervalMs
    {
        get => (int)RetryInterval.TotalMilliseconds;
        set => RetryInterval = TimeSpan.FromMilliseconds(value);
    }

    /// <summary>The pause between connect attempts, however it was given.</summary>
    private protected TimeSpan RetryInterval { get; private set; } = TimeSpan.FromMilliseconds(500);
}
