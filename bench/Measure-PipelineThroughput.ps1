#Requires -Version 7.4
<#
.SYNOPSIS
    Pipes small payloads through Send-AsyaMessage into a listener job and reports messages/s beside the
    core's own send→ack rate, measured in the same run against the same listener.
.DESCRIPTION
    The cmdlet path includes what a script pays: parameter binding per pipeline item, serialising the
    payload into a new envelope, and the pipeline itself. The target is at least 25% of the core's rate.
.EXAMPLE
    pwsh -NoProfile -File bench/Measure-PipelineThroughput.ps1 -Count 10000
#>
[CmdletBinding()]
param(
    [ValidateRange(100, 1000000)]
    [int] $Count = 10000,
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../output/AsyaSocket/*/AsyaSocket.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModuleManifest | Select-Object -Last 1).Path -Force

# The core's loop runs in C#, so its figure is the transport's, not PowerShell's loop overhead.
# (CS1701 warns that the net8.0 core binds to this runtime's newer System.Runtime: expected here.)
$coreAssembly = [AsyaSocket.Core.Sockets.SocketSender].Assembly.Location
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $coreAssembly, 'System.Runtime', 'System.Memory', 'System.Threading.Tasks.Extensions' -TypeDefinition @'
public static class CoreLoop
{
    public static void Send(AsyaSocket.Core.Sockets.SocketSender sender, string actor, byte[] body, int count)
    {
        for (var i = 0; i < count; i++)
        {
            sender.SendAsync(actor, body, System.Threading.CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }
}
'@

$mesh = Join-Path ([IO.Path]::GetTempPath()) ("asya-bench-" + [Guid]::NewGuid().ToString('N').Substring(0, 6))
New-Item -ItemType Directory -Path $mesh | Out-Null
try {
    $listener = Start-AsyaListener -Actor bench -MeshPath $mesh -BufferSize 100000
    $body = (New-AsyaEnvelope -Actor bench -Payload @{ n = 1 }).ToUtf8Bytes()
    $sender = [AsyaSocket.Core.Sockets.SocketSender]::new([AsyaSocket.Core.Sockets.MeshDirectory]::new($mesh), $null)

    # Warm both paths up, then drop what the warm-up delivered.
    [CoreLoop]::Send($sender, 'bench', $body, 500)
    1..200 | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor bench -MeshPath $mesh
    $null = Receive-AsyaMessage -Listener $listener -Count 700 -TimeoutSec 60

    $core = Measure-Command { [CoreLoop]::Send($sender, 'bench', $body, $Count) }
    $null = Receive-AsyaMessage -Listener $listener -Count $Count -TimeoutSec 120

    $cmdlet = Measure-Command { 1..$Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor bench -MeshPath $mesh }
    $receive = Measure-Command { $received = Receive-AsyaMessage -Listener $listener -Count $Count -TimeoutSec 120 }
    if (@($received).Count -ne $Count) { throw "Received $(@($received).Count) of $Count messages." }

    $coreRate = $Count / $core.TotalSeconds
    $cmdletRate = $Count / $cmdlet.TotalSeconds
    [pscustomobject]@{
        Messages              = $Count
        BodyBytes             = $body.Length
        CoreSendPerSecond     = [math]::Round($coreRate)
        CmdletSendPerSecond   = [math]::Round($cmdletRate)
        CmdletShareOfCore     = '{0:P0}' -f ($cmdletRate / $coreRate)
        ReceiveEmitPerSecond  = [math]::Round($Count / $receive.TotalSeconds)
        Target                = 'cmdlet >= 25% of core'
        Met                   = ($cmdletRate / $coreRate) -ge 0.25
    }
}
finally {
    Get-AsyaListener | Stop-AsyaListener
    Remove-Item -Recurse -Force $mesh
}
