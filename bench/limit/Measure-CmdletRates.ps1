#Requires -Version 7.4
<#
.SYNOPSIS
    One repetition of the cmdlet rates for bench/limit.sh: Send-AsyaMessage in a pipeline into the C peer, and
    Receive-AsyaMessage fed by the C peer. Prints one line: CMDLETS send_per_s=N receive_per_s=N.
.DESCRIPTION
    Send: `1..Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage` into `uds_peer recv`, timed here. Receive:
    `uds_peer count` sends the envelope in -BodyFile Count+1 times and times all but the first exchange itself,
    while `Receive-AsyaMessage -Count` takes them in the foreground; each exchange ends with the cmdlet's ack, so
    the sender's rate is the cmdlet's. Each is first run untimed, again and again for -WarmupSec: the runtime
    compiles hot code again, optimised, only after it ran a while (tiered compilation), and in a shell that runs
    the whole engine's binder and pipeline that takes seconds (the first run is reported as the cold rate).
    Then runs of -Count are timed for -MeasureSec together.
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
    [ValidateRange(0, 600)] [double] $WarmupSec = 10,
    [ValidateRange(0, 600)] [double] $MeasureSec = 3,
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

# Runs $Run (which returns the msgs/s of one run of -Count) untimed until -WarmupSec passed, then again until
# -MeasureSec passed: the first rate (cold) and the measured runs' rate, all their messages over all their time.
# One run of 10,000 lasts a quarter of a second, and single runs swing 16,000-56,000 msgs/s (collections).
function Measure-Warm([scriptblock] $Run) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $cold = & $Run
    while ($clock.Elapsed.TotalSeconds -lt $WarmupSec) { $null = & $Run }
    $clock.Restart()
    $runs = 0
    $seconds = 0.0
    while ($runs -eq 0 -or $clock.Elapsed.TotalSeconds -lt $MeasureSec) {
        $seconds += 1 / (& $Run)
        $runs++
    }
    $cold, ($runs / $seconds)
}

# Send-AsyaMessage → C.
$command = Get-PeerCommand 'recv', $socket
$receiver = Start-Process -FilePath $command[0] -ArgumentList $command[1..($command.Count - 1)] -PassThru
try {
    Wait-Socket $socket
    $sendCold, $sendRate = Measure-Warm {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        1..$Count | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor limit -MeshPath $MeshPath
        $Count / $clock.Elapsed.TotalSeconds
    }
}
finally {
    & $Peer stop $socket
    $null = $receiver.WaitForExit(10000)
}

# C → Receive-AsyaMessage.
$receiveCold, $receiveRate = Measure-Warm {
    $n = $Count + 1
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
    if ($result -notmatch 'msgs_per_s=([0-9.]+)') { throw "The C sender printed no result: $result" }
    [double] $Matches[1]
}
'CMDLETS send_per_s={0:F1} receive_per_s={1:F1} send_cold_per_s={2:F1} receive_cold_per_s={3:F1}' -f $sendRate, $receiveRate, $sendCold, $receiveCold
