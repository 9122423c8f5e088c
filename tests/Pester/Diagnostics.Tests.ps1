BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # The verbose and debug lines a script block writes (its output and errors dropped).
    function Get-Diagnostic([scriptblock] $Script) {
        & $Script 4>&1 5>&1 2>$null | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { "VERBOSE: $($_.Message)" }
            elseif ($_ -is [System.Management.Automation.DebugRecord]) { "DEBUG: $($_.Message)" }
        }
    }
    $script:Secret = 'body-marker-' + [Guid]::NewGuid().ToString('N')
}

Describe '-Verbose and -Debug' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'Send-AsyaMessage -Verbose says each connect attempt that failed and will be retried' {
        $lines = Get-Diagnostic { Send-AsyaMessage -Actor not-up-yet -MeshPath $mesh -Payload @{ s = $Secret } -RetryCount 3 -RetryIntervalMs 100 -Verbose -ErrorAction SilentlyContinue }
        $retries = @($lines -match '^VERBOSE: Attempt \d of 3 to reach ''not-up-yet'' at .*not-up-yet\.sock failed \(SocketNotFound\) after [\d.]+ s; retrying in 100 ms\.$')
        $retries.Count | Should -Be 2 -Because "the third attempt is the last: it fails the send instead ($($lines -join '; '))"
        $retries[0] | Should -Match 'Attempt 1 of 3'
        $retries[1] | Should -Match 'Attempt 2 of 3'
        $lines -join "`n" | Should -Not -Match $Secret
    }

    It 'Send-AsyaMessage -Debug says what it sends and how it will retry, without the body' {
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        $lines = Get-Diagnostic { @{ s = $Secret } | Send-AsyaMessage -Actor capture -MeshPath $mesh -Id dbg-1 -Debug }
        @($lines -match '^DEBUG: Sending \d+ bytes \(envelope dbg-1\) to ''capture'' at .*capture\.sock: up to 60 connect attempts 500 ms apart, ack timeout 30 s\.$').Count |
            Should -Be 1 -Because ($lines -join '; ')
        $lines -join "`n" | Should -Not -Match $Secret
    }

    It 'Receive-AsyaMessage -Verbose says each message as it is written, listening or reading a job' {
        $job = Start-AsyaListener -Actor buffered -MeshPath $mesh
        1..2 | ForEach-Object { @{ n = $_; s = $Secret } } | Send-AsyaMessage -Actor buffered -MeshPath $mesh
        $lines = Get-Diagnostic { Receive-AsyaMessage -Listener $job -Count 2 -TimeoutSec 10 -Verbose -Debug }
        @($lines -match '^VERBOSE: Received message [12] of 2 as ''buffered'': \d+ bytes, envelope [0-9a-f-]{36}\.$').Count | Should -Be 2
        @($lines -match '^DEBUG: Message [0-9a-f-]{36}: received .+; route \(done\)|route \[buffered\]').Count | Should -Be 2
        $lines -join "`n" | Should -Not -Match $Secret

        $actor = Start-AsyaActor -Name relay -MeshPath $mesh -SinkActor foreground -Process { $_.payload }
        1..3 | ForEach-Object { @{ n = $_; s = $Secret } } | Send-AsyaMessage -Actor relay -MeshPath $mesh
        $lines = Get-Diagnostic { Receive-AsyaMessage -Actor foreground -MeshPath $mesh -Count 3 -TimeoutSec 20 -Verbose }
        @($lines -match '^VERBOSE: Received message [123] of 3 as ''foreground'': \d+ bytes, envelope ').Count | Should -Be 3
        $lines -join "`n" | Should -Not -Match $Secret
    }

    It 'Test-AsyaMesh -Verbose says what it checks, and -Debug each result' {
        $null = Start-AsyaListener -Actor orders -MeshPath $mesh
        $lines = Get-Diagnostic { Test-AsyaMesh -MeshPath $mesh -Verbose -Debug }
        $lines | Should -Contain "VERBOSE: Checking mesh directory '$mesh' from the file system (no connections)."
        $lines | Should -Contain "VERBOSE: Checking 'orders' at $mesh/orders.sock."
        $lines | Should -Contain "DEBUG: IsSocket Pass: '$mesh/orders.sock' is a socket."

        $lines = Get-Diagnostic { Test-AsyaMesh -MeshPath $mesh -Actor orders -Probe -Verbose -Debug }
        @($lines -match "^VERBOSE: Probing 'orders'").Count | Should -Be 1
        @($lines -match '^DEBUG: Probe of .*orders\.sock: Live after [\d.]+ ms\.$').Count | Should -Be 1
    }
}
