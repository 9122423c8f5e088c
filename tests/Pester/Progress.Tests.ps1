BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # Runs a script in a runspace of its own and returns the progress records it wrote (a host shows these;
    # they cannot be redirected). $mesh is the test's mesh there too.
    function Get-ProgressRecord([string] $Mesh, [scriptblock] $Script, [string] $Preference = 'Continue') {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("param(`$mesh) Import-Module '$ModuleManifest'; `$ProgressPreference = '$Preference'; $Script").AddArgument($Mesh)
            $null = $shell.Invoke()
            @($shell.Streams.Progress)
        } finally { $shell.Dispose() }
    }

    function Assert-Cleared($Records) {
        foreach ($activity in $Records | Group-Object ActivityId) {
            $activity.Group[-1].RecordType | Should -Be 'Completed' -Because "'$($activity.Group[0].Activity)' is cleared when done"
        }
    }
}

Describe 'Write-Progress where a person waits' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'shows each dial retry with the attempt and the time left, then clears it' {
        $records = Get-ProgressRecord $mesh { Send-AsyaMessage -Actor late -MeshPath $mesh -Payload 1 -RetryCount 4 -RetryIntervalSec 0.2 -ErrorAction SilentlyContinue }
        $retries = @($records | Where-Object RecordType -eq 'Processing')
        $retries.StatusDescription | Should -Be @(1..3 | ForEach-Object { "Attempt $_ of 4 to reach 'late' failed (SocketNotFound); retrying every 200 ms" })
        $retries[0].PercentComplete | Should -Be 25
        $retries[0].SecondsRemaining | Should -BeGreaterOrEqual 0
        Assert-Cleared $records
    }

    It 'is quiet under $ProgressPreference = ''SilentlyContinue''' {
        Get-ProgressRecord $mesh { Send-AsyaMessage -Actor late -MeshPath $mesh -Payload 1 -RetryCount 3 -RetryIntervalSec 0.2 -ErrorAction SilentlyContinue } -Preference SilentlyContinue |
            Should -BeNullOrEmpty
    }

    It 'counts a long send''s messages' {
        $records = Get-ProgressRecord $mesh {
            $null = Start-AsyaListener -Actor capture -MeshPath $mesh
            1..6 | ForEach-Object { Start-Sleep -Milliseconds 150; @{ n = $_ } } | Send-AsyaMessage -Actor capture -MeshPath $mesh
            Get-AsyaListener | Stop-AsyaListener
        }
        @($records | Where-Object StatusDescription -match '^\d message\(s\) sent, the last to ''capture''$') | Should -Not -BeNullOrEmpty
        Assert-Cleared $records
    }

    It 'shows messages so far of -Count and the time left of -TimeoutSec, listening and reading a job' {
        $records = Get-ProgressRecord $mesh {
            $null = Start-AsyaActor -Actor slow -MeshPath $mesh -SinkActor inbox -Process { Start-Sleep -Milliseconds 400; $_.payload }
            1..3 | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor slow -MeshPath $mesh
            $null = Receive-AsyaMessage -Actor inbox -MeshPath $mesh -Count 3 -TimeoutSec 20
            $job = Start-AsyaListener -Actor quiet -MeshPath $mesh
            $null = Receive-AsyaMessage -Listener $job -Count 1 -TimeoutSec 2 -ErrorAction SilentlyContinue
            Get-AsyaListener | Stop-AsyaListener
        }
        @($records | Where-Object { $_.Activity -eq "Receiving as 'inbox'" -and $_.StatusDescription -match '^[23] of 3 message\(s\), \d+ s left of 20 s$' }) | Should -Not -BeNullOrEmpty
        @($records | Where-Object { $_.Activity -eq "Reading listener 'quiet'" -and $_.StatusDescription -match '^0 of 1 message\(s\), [01] s left of 2 s$' }) | Should -Not -BeNullOrEmpty
        Assert-Cleared $records
    }

    It 'shows the time left while Invoke-AsyaFlow waits at the sink' {
        $records = Get-ProgressRecord $mesh {
            $null = Start-AsyaActor -Actor slow -MeshPath $mesh -Process { Start-Sleep -Milliseconds 2500; $_.payload }
            $null = Invoke-AsyaFlow -Route slow -Payload 1 -MeshPath $mesh -TimeoutSec 20
            Get-AsyaListener | Stop-AsyaListener
        }
        $waits = @($records | Where-Object { $_.Activity -like 'Waiting for envelope *' -and $_.RecordType -eq 'Processing' })
        $waits | Should -Not -BeNullOrEmpty
        $waits[-1].StatusDescription | Should -Match "^At 'x-sink' or 'x-sump': 1\d s left of 20 s$"
        Assert-Cleared $records
    }
}
