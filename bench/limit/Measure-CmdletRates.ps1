#Requires -Version 7.4
<#
.SYNOPSIS
    One repetition of the cmdlet rates for bench/limit.sh: Send-AsyaMessage in a pipeline into the C peer, and
    Receive-AsyaMessage fed by the C peer. Prints one line: CMDLETS send_per_s=N receive_per_s=N.
.DESCRIPTION
    Send: `1..Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage` into `uds_peer recv`, timed here. Receive:
    `uds_peer count` sends the envelope in -BodyFile Count+1 times and times all but the first exchange itself,
    while `Receive-AsyaMessage -Count` takes them in the foreground; each exchange ends with the cmdlet's ack, so
    the sender's rate is the cmdlet's. Each is first run once untimed with the same count: the runtime compiles
    hot code again, optimised, only after it ran a while (tiered compilation), and a warm-up of a few hundred
    messages measured the JIT at work as much as the cmdlet (a 500-message warm-up gave half the rate).
    The ratios to the core are computed by the caller against Core→C and C→Core run beside this script.
    -PeerCpu pins the C peer to that CPU (through taskset); the caller pins this shell.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Peer,
    [Parameter(Mandatory)] [string] $MeshPath,
    [Parameter(Mandatory)] [string] $BodyFile,
    [ValidateRange(100, 1000000)] [int] $Count = 10000,
    [int] $PeerCpu = -1,
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../../output/AsyaSocket/*/AsyaSocket.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModuleManifest | Select-Object -Last 1).Path -Force
$socket = Join-Path $MeshPath 'limit.sock'

# The C peer's command line, pinned when asked.
function Get-PeerCommand([string[]] $Arguments) {
    $command = if ($PeerCpu -ge 0) { @('taskset', '-c', "$PeerCpu", $Peer) + $Arguments } else { @($Peer) + $Arguments }
    , $command
}

function Wait-Socket([string] $Path) {
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (-not (Test-Path $Path)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "No socket at $Path." }
        Start-Sleep -Milliseconds 10
    }
}

# Send-AsyaMessage → C.
$command = Get-PeerCommand 'recv', $socket
$receiver = Start-Process -FilePath $command[0] -ArgumentList $command[1..($command.Count - 1)] -PassThru
try {
    Wait-Socket $socket
    1..$Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor limit -MeshPath $MeshPath
    $clock = [Diagnostics.Stopwatch]::StartNew()
    1..$Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor limit -MeshPath $MeshPath
    $sendRate = $Count / $clock.Elapsed.TotalSeconds
}
finally {
    & $Peer stop $socket
    $null = $receiver.WaitForExit(10000)
}

# C → Receive-AsyaMessage: warm the receiving path up first with a run of its own.
foreach ($n in ($Count + 1), ($Count + 1)) {
    $command = Get-PeerCommand 'count', $socket, "$n", $BodyFile
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in $command[1..($command.Count - 1)]) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.UseShellExecute = $false
    $sender = [Diagnostics.Process]::Start($info)
    $received = Receive-AsyaMessage -Actor limit -MeshPath $MeshPath -Count $n -TimeoutSec 120 | Measure-Object
    $result = $sender.StandardOutput.ReadToEnd()
    $sender.WaitForExit()
    if ($received.Count -ne $n) { throw "Received $($received.Count) of $n messages." }
}
if ($result -notmatch 'msgs_per_s=([0-9.]+)') { throw "The C sender printed no result: $result" }
$receiveRate = [double] $Matches[1]
'CMDLETS send_per_s={0:F1} receive_per_s={1:F1}' -f $sendRate, $receiveRate
