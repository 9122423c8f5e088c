BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # Runs a command in its own runspace, waits until it is blocked, then stops it as Ctrl+C does.
    function Stop-Blocked([scriptblock] $Command, [object[]] $Arguments) {
        $ps = [powershell]::Create()
        try {
            # One script, not a batch of statements: stopping a batch hits a PowerShell engine race.
            $null = $ps.AddScript('param($module, $command, $arguments) Import-Module $module; & ([scriptblock]::Create($command)) @arguments')
            $null = $ps.AddArgument($ModuleManifest).AddArgument($Command.ToString()).AddArgument($Arguments)
            $handle = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 500
            $handle.IsCompleted | Should -BeFalse -Because 'the command should be blocked before it is stopped'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed
        } finally { $ps.Dispose() }
    }
}

Describe 'Stopping blocked cmdlets (Ctrl+C)' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'stops Receive-AsyaMessage within a second and removes its socket' {
        $elapsed = Stop-Blocked { param($mesh) Receive-AsyaMessage -Actor blocked -MeshPath $mesh } $mesh
        $elapsed.TotalSeconds | Should -BeLessThan 1
        Test-Path (Join-Path $mesh 'blocked.sock') | Should -BeFalse
    }

    It 'stops Send-AsyaMessage while it retries a missing actor' {
        $elapsed = Stop-Blocked { param($mesh) Send-AsyaMessage -Actor missing -MeshPath $mesh -Payload 1 } $mesh
        $elapsed.TotalSeconds | Should -BeLessThan 1
    }

    It 'stops Send-AsyaMessage while it waits for an ack that never comes' {
        $silent = New-StaleSocket (Join-Path $mesh 'silent.sock')
        try {
            $silent.Listen(1)
            $elapsed = Stop-Blocked { param($mesh) Send-AsyaMessage -Actor silent -MeshPath $mesh -Payload 1 -TimeoutSec 0 } $mesh
            $elapsed.TotalSeconds | Should -BeLessThan 1
        } finally { $silent.Dispose() }
    }

    It 'stops Receive-AsyaMessage -Listener waiting for -Count' {
        $job = Start-AsyaListener -Actor slow -MeshPath $mesh
        $elapsed = Stop-Blocked { param($job) Receive-AsyaMessage -Listener $job -Count 5 } $job
        $elapsed.TotalSeconds | Should -BeLessThan 1
    }
}
