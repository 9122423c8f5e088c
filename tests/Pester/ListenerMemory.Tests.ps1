# Issue 11, point 4: a listener job is bounded in bytes as well as messages. A fast sender of 1 MiB messages
# and a slow reader: the bodies the job holds (its output, the listener's buffer, frames still arriving) stay
# within -MaxBufferMB (256 MiB by default), the senders are held back instead, every message arrives, and
# the listening pwsh's peak RSS stays bounded: the held bodies plus the GC's headroom for bodies already
# read, not the gigabyte that was sent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'A listener job fed 1 MiB messages faster than it is read' {
    BeforeEach {
        $mesh = New-TestMesh
        $logs = New-TestLogs $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'holds at most the default 256 MiB of bodies, loses nothing, and its RSS stays bounded' {
        $count = 1000
        # The listening pwsh: a job that nobody reads for 8 s (the senders fill it), then a slow loop. It
        # samples the bodies the job holds every 100 ms meanwhile, and reports its RSS from /proc.
        $listener = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
function Get-Kib([string] `$field) { [long]((Get-Content /proc/self/status | Where-Object { `$_ -like "`${field}:*" }) -replace '\D', '') }
function Get-Held(`$job) { `$c = `$job.Counters[0]; [long](`$job.OutputBytes + `$c.BufferedBytes + `$c.InFlightBytes) }
[GC]::Collect(); [GC]::WaitForPendingFinalizers()
`$job = Start-AsyaListener -Actor big -MeshPath '$mesh'
`$base = Get-Kib VmRSS
`$maxHeld = 0
foreach (`$i in 1..80) { Start-Sleep -Milliseconds 100; `$maxHeld = [Math]::Max(`$maxHeld, (Get-Held `$job)) }
`$got = 0
while (`$got -lt $count) {
    `$got += @(Receive-AsyaMessage -Listener `$job -Count 10 -TimeoutSec 30).Count
    `$maxHeld = [Math]::Max(`$maxHeld, (Get-Held `$job))
    Start-Sleep -Milliseconds 50
}
"BASE `$base"
"PEAK `$(Get-Kib VmHWM)"
"HELD `$maxHeld"
"GOT `$got"
"@
        Set-Content (Join-Path $logs 'listener.ps1') $listener
        $child = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', (Join-Path $logs 'listener.ps1') -PassThru `
            -RedirectStandardOutput (Join-Path $logs 'listener.out') -RedirectStandardError (Join-Path $logs 'listener.err')
        try {
            $deadline = (Get-Date).AddSeconds(30)
            while (-not (Test-Path (Join-Path $mesh 'big.sock'))) {
                if ((Get-Date) -gt $deadline) { throw "The listener did not start: $(Get-Content -Raw (Join-Path $logs 'listener.err'))" }
                Start-Sleep -Milliseconds 50
            }

            # Four fast senders in this process; a 1 MiB raw body each, acked only when the listener has room.
            1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:ModuleManifest
                $body = 'x' * 1MB
                1..($using:count / 4) | ForEach-Object { Send-AsyaMessage -Actor big -MeshPath $using:mesh -Text $body -TimeoutSec 60 }
            }
            $child.WaitForExit(180000) | Should -BeTrue
            $child.ExitCode | Should -Be 0 -Because (Get-Content -Raw (Join-Path $logs 'listener.err'))
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }

        $report = Get-Content (Join-Path $logs 'listener.out')
        $value = { param($name) [long](($report | Where-Object { $_ -like "$name *" }) -replace '\D', '') }
        & $value GOT | Should -Be $count
        $heldMiB = (& $value HELD) / 1MB
        $growthMiB = ((& $value PEAK) - (& $value BASE)) / 1024
        Write-Host ("Listener pwsh: {0:0} MiB RSS at start, {1:0} MiB peak (growth {2:0} MiB), at most {3:0} MiB of bodies held, for {4} x 1 MiB messages." -f ((& $value BASE) / 1024), ((& $value PEAK) / 1024), $growthMiB, $heldMiB, $count)
        $heldMiB | Should -BeLessOrEqual 256
        # RSS also holds bodies already read and not yet collected (large-object-heap garbage, at the GC's
        # discretion: its LOH budget grows with the ~190 MiB that stay alive): 425 to 587 MiB in stop 15's runs,
        # 511 to 794 MiB over seven runs of stop 16 (alone 511-546; in the whole suite 583-794), with the
        # listener's own bound (the held bytes above) unchanged. Code that holds what it was sent grows by all
        # 1000 MiB and more, so the bound sits between the GC's spread and that.
        $growthMiB | Should -BeLessThan 900 -Because 'the held bodies plus the GC''s headroom for the ones already read, below the 1000 MiB sent'
    }
}
