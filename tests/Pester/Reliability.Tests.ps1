# The pwsh side of the reliability work (docs/reliability.md): socket files across pwsh exit, module removal, SIGTERM
# and SIGKILL (Listener.Tests.ps1 has the basic exit/Remove-Module case for listeners; this extends it to mock actors,
# signals and a restart after a crash), and message bodies never written in full to verbose or debug output.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # A child pwsh that runs $Script after importing the module; returns the process (stdout/stderr redirected to files).
    # It is the real shell's process ($PSHOME/pwsh), so a signal sent to its pid reaches the shell itself.
    # A shell started under nohup (or by a runner that ignores SIGHUP) hands the ignored disposition down, and a
    # child that ignores the signal cannot show the cleanup: env resets both signals and execs pwsh (same pid).
    $script:ResetSignals = @()
    & env --default-signal=HUP,TERM true 2>$null
    if ($LASTEXITCODE -eq 0) { $script:ResetSignals = @('--default-signal=HUP,TERM') }

    function Start-ChildPwsh([string] $Script, [string] $LogPrefix) {
        $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$ModuleManifest'; $Script"
        $arguments = @($ResetSignals) + @($Pwsh, '-NoProfile', '-NonInteractive', '-Command', $full)
        Start-Process -FilePath env -ArgumentList $arguments -PassThru `
            -RedirectStandardOutput "$LogPrefix.out" -RedirectStandardError "$LogPrefix.err"
    }

    function Wait-Until([scriptblock] $Condition, [string] $What, [double] $TimeoutSec = 30) {
        $deadline = (Get-Date).AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ((Get-Date) -gt $deadline) { throw "Timed out after $TimeoutSec s waiting until $What." }
            Start-Sleep -Milliseconds 50
        }
    }

    # test -S, as the reference's component suite checks that an actor is up.
    function Test-Socket([string] $Path) {
        & test -S $Path
        $LASTEXITCODE -eq 0
    }
}

Describe 'Socket files when pwsh exits, the module is removed, or the process dies' {
    BeforeEach {
        $mesh = New-TestMesh
        $logs = New-TestLogs $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'removes the sockets of listener jobs and mock actors alike when pwsh exits' {
        $script = @"
`$null = Start-AsyaListener -Actor listening -MeshPath '$mesh'
`$null = Start-AsyaActor -Name acting -MeshPath '$mesh' -Process { `$_ }
if (-not (Test-Path '$mesh/listening.sock') -or -not (Test-Path '$mesh/acting.sock')) { exit 3 }
exit 0
"@
        $child = Start-ChildPwsh $script (Join-Path $logs 'exit')
        $child.WaitForExit(60000) | Should -BeTrue
        $child.ExitCode | Should -Be 0 -Because (Get-Content -Raw (Join-Path $logs 'exit.err'))
        Get-ChildItem -Force $mesh -Filter '*.sock' | Should -BeNullOrEmpty
        # Nor a hidden temporary socket left behind.
        (Get-ChildItem -Force $mesh | Where-Object Name -ne 'logs') | Should -BeNullOrEmpty
    }

    It 'stops mock actors and removes their sockets on Remove-Module, and a re-import works' {
        $script = @"
`$actor = Start-AsyaActor -Name acting -MeshPath '$mesh' -Process { `$_ }
if (-not (Test-Path '$mesh/acting.sock')) { exit 3 }
Remove-Module AsyaSocket
if (Test-Path '$mesh/acting.sock') { exit 4 }
if (`$actor.State -eq 'Running') { exit 5 }
Import-Module '$ModuleManifest'
`$null = Start-AsyaActor -Name acting -MeshPath '$mesh' -Process { `$_ }
if (-not (Test-Path '$mesh/acting.sock')) { exit 6 }
exit 0
"@
        $child = Start-ChildPwsh $script (Join-Path $logs 'remove')
        $child.WaitForExit(60000) | Should -BeTrue
        $child.ExitCode | Should -Be 0 -Because (Get-Content -Raw (Join-Path $logs 'remove.err'))
        Test-Path (Join-Path $mesh 'acting.sock') | Should -BeFalse
    }

    It 'removes the socket file of <What> when pwsh is terminated with SIG<Signal>' -TestCases @(
        @{ Signal = 'TERM'; What = 'a listener job'; Script = "`$null = Start-AsyaListener -Actor signalled -MeshPath '{0}'; Start-Sleep -Seconds 60" }
        @{ Signal = 'HUP'; What = 'a listener job'; Script = "`$null = Start-AsyaListener -Actor signalled -MeshPath '{0}'; Start-Sleep -Seconds 60" }
        @{ Signal = 'TERM'; What = 'a mock actor'; Script = "`$null = Start-AsyaActor -Name signalled -MeshPath '{0}' -Process {{ `$_ }}; Start-Sleep -Seconds 60" }
        @{ Signal = 'TERM'; What = 'a foreground Receive-AsyaMessage'; Script = "Receive-AsyaMessage -Actor signalled -MeshPath '{0}' -Count 1 -TimeoutSec 60" }
        @{ Signal = 'HUP'; What = 'a foreground Receive-AsyaMessage'; Script = "Receive-AsyaMessage -Actor signalled -MeshPath '{0}' -Count 1 -TimeoutSec 60" }
    ) {
        param($Signal, $What, $Script)
        $child = Start-ChildPwsh ($Script -f $mesh) (Join-Path $logs 'signal')
        try {
            Wait-Until { Test-Socket (Join-Path $mesh 'signalled.sock') } 'the child listens'
            & kill "-$Signal" $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
            Test-Path (Join-Path $mesh 'signalled.sock') | Should -BeFalse
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
    }

    It 'leaves a stale file after SIGKILL, refuses sends, and a restarted listener replaces it without -Force' {
        $child = Start-ChildPwsh "`$null = Start-AsyaListener -Actor crashed -MeshPath '$mesh'; Start-Sleep -Seconds 60" (Join-Path $logs 'kill')
        $socket = Join-Path $mesh 'crashed.sock'
        try {
            Wait-Until { Test-Socket $socket } 'the child listens'
            & kill -KILL $child.Id
            $child.WaitForExit(30000) | Should -BeTrue
        } finally {
            if (-not $child.HasExited) { $child.Kill() }
        }

        # SIGKILL runs no cleanup: the file stays, and nothing listens on it.
        Test-Socket $socket | Should -BeTrue
        Send-AsyaMessage -Actor crashed -MeshPath $mesh -Payload 1 -RetryCount 2 -RetryIntervalMs 10 -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'

        # The restart replaces the stale file without -Force and receives.
        $restarted = Start-AsyaListener -Actor crashed -MeshPath $mesh
        Send-AsyaMessage -Actor crashed -MeshPath $mesh -Payload 2
        (Receive-AsyaMessage -Listener $restarted -Count 1 -TimeoutSec 10).Payload | Should -Be 2
    }
}

Describe 'Message bodies in verbose and debug output' {
    BeforeAll {
        # 64 KiB of filler, then a marker that appears nowhere else: any record holding the whole body holds the marker.
        $script:Marker = 'END-OF-BODY-' + [Guid]::NewGuid().ToString('N')
        $script:BigText = ('x' * 65536) + $Marker

        # Verbose, debug and information records from a script block run with -Verbose/-Debug semantics.
        function Get-DiagnosticText([scriptblock] $Block) {
            $records = & $Block 4>&1 5>&1 6>&1 | Where-Object {
                $_ -is [System.Management.Automation.VerboseRecord] -or
                $_ -is [System.Management.Automation.DebugRecord] -or
                $_ -is [System.Management.Automation.InformationRecord]
            }
            @($records | ForEach-Object { $_.ToString() })
        }
    }
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'Send-AsyaMessage -Verbose -Debug writes no body in full, for -Text, -Payload and a replayed message' {
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        $text = Get-DiagnosticText { Send-AsyaMessage -Actor capture -MeshPath $mesh -Text $BigText -Verbose -Debug }
        $text += Get-DiagnosticText { Send-AsyaMessage -Actor capture -MeshPath $mesh -Payload @{ data = $BigText } -Verbose -Debug }
        $received = Receive-AsyaMessage -Listener $capture -Count 2 -TimeoutSec 10
        $received[0].Text | Should -Be $BigText
        $text += Get-DiagnosticText { $received[1] | Send-AsyaMessage -Actor capture -MeshPath $mesh -Verbose -Debug }

        $text.Count | Should -BeGreaterOrEqual 3 -Because 'each send says what it delivered'
        $text | Where-Object { $_ -match 'Delivered \d+ bytes' } | Should -Not -BeNullOrEmpty
        $text | Where-Object { $_.Contains($Marker) } | Should -BeNullOrEmpty
    }

    It 'Receive-AsyaMessage -Verbose -Debug writes no body in full, listening in the foreground or reading a job' {
        $sender = Start-ThreadJob -ArgumentList $ModuleManifest, $mesh, $BigText {
            param($manifest, $mesh, $body)
            Import-Module $manifest
            Send-AsyaMessage -Actor foreground -MeshPath $mesh -Text $body -RetryCount 100 -RetryIntervalMs 100
        }
        try {
            $text = Get-DiagnosticText { Receive-AsyaMessage -Actor foreground -MeshPath $mesh -Count 1 -TimeoutSec 20 -Verbose -Debug | Out-Null }
            $sender | Wait-Job -Timeout 20 | Receive-Job -ErrorAction Stop
        } finally { $sender | Remove-Job -Force }
        $text | Where-Object { $_ -match 'Listening as' } | Should -Not -BeNullOrEmpty

        $started = Start-AsyaListener -Actor background -MeshPath $mesh -Verbose -Debug 4>&1 5>&1
        $job = $started | Where-Object { $_ -is [System.Management.Automation.Job] }
        $text += @($started | Where-Object { $_ -isnot [System.Management.Automation.Job] } | ForEach-Object { $_.ToString() })
        Send-AsyaMessage -Actor background -MeshPath $mesh -Text $BigText
        $text += Get-DiagnosticText { Receive-AsyaMessage -Listener $job -Count 1 -TimeoutSec 10 -Verbose -Debug | Out-Null }
        $text += @($job.Verbose + $job.Debug + $job.Information | ForEach-Object { $_.ToString() })
        $text | Where-Object { $_.Contains($Marker) } | Should -BeNullOrEmpty
    }

    It 'mock actors and flows with verbose and debug preferences on write no body in full' {
        $text = Get-DiagnosticText {
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $actor = Start-AsyaActor -Name echo -MeshPath $mesh -SinkActor sink -Process { $_.payload }
            Invoke-AsyaFlow -Route echo -MeshPath $mesh -SinkActor sink -Payload @{ data = $BigText } -TimeoutSec 20 | Out-Null
            $actor | Stop-AsyaListener
            @($actor.Verbose + $actor.Debug + $actor.Information) | ForEach-Object { Write-Verbose $_.ToString() }
        }
        $text | Where-Object { $_ -match 'acknowledged envelope' } | Should -Not -BeNullOrEmpty
        $text | Where-Object { $_.Contains($Marker) } | Should -BeNullOrEmpty
    }
}
