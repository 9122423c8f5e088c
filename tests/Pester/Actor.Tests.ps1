BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Start-AsyaActor' {
    BeforeEach {
        $mesh = New-TestMesh
        $sink, $sump = Start-SinkAndSump $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'processes an envelope, shifts the route, stamps the status and forwards along the route' {
        $double = Start-AsyaActor -Name double -MeshPath $mesh -Process { param($Envelope) $Envelope.payload.n * 2 }
        $square = Start-AsyaActor -Name square -MeshPath $mesh -Process { $_.payload * $_.payload }
        $double.PSJobTypeName | Should -Be 'AsyaActor'
        Send-AsyaMessage -Route double, square -MeshPath $mesh -Payload @{ n = 3 } -Id 'flow-1'
        $done = Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 15
        $done.Id | Should -Be 'flow-1'
        $done.Payload | Should -Be 36
        $done.Phase | Should -Be 'succeeded'
        $done.Reason | Should -Be 'Completed'
        $done.Envelope.Status.Actor | Should -Be 'square'
        @($done.Envelope.Route.Prev) | Should -Be @('double', 'square')
        $done.Envelope.Route.Curr | Should -Be ''
        $done.Envelope.Headers['x-asya-first-attempt'].GetString() | Should -Match '^\d{4}-\d\d-\d\dT'
        $results = Receive-Job $double
        $results.Outcome | Should -Be 'Succeeded'
        $results.SentTo | Should -Be 'square'
    }

    It 'reads an envelope nested 999 levels deep and passes its payload on whole' {
        $null = Start-AsyaActor -Name keep -MeshPath $mesh -Process { }
        $deep = ('[' * 999) + '7' + (']' * 999)
        Send-AsyaMessage -Actor keep -MeshPath $mesh -Text ('{"id":"deep","parent_id":null,"route":{"prev":[],"curr":"keep","next":[]},"headers":{},"payload":' + $deep + '}')
        $done = Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 15
        $done.Id | Should -Be 'deep'
        $done.Reason | Should -Be 'Completed'
        $done.Envelope.Payload.GetRawText() | Should -BeExactly $deep
    }

    It 'runs a three-actor flow: two PowerShell actors and a core actor in another process' {
        $peer = Get-ChildItem (Join-Path $RepoRoot 'tests/AsyaSocket.TestPeer/bin/*/net10.0/AsyaSocket.TestPeer.dll') -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTime -Descending | Select-Object -First 1
        if (-not $peer) {
            Set-ItResult -Skipped -Because 'the test peer is not built (dotnet build AsyaSocket.slnx builds it)'
            return
        }

        $null = Start-AsyaActor -Name a -MeshPath $mesh -Process { $_.payload + 'A' }
        $null = Start-AsyaActor -Name c -MeshPath $mesh -Process { $_.payload + 'C' }
        $process = Start-Process dotnet -ArgumentList $peer.FullName, 'actor', $mesh, 'b', '1', '--suffix', 'B', '--deadline-ms', '30000' `
            -RedirectStandardOutput (Join-Path $mesh 'peer.out') -PassThru
        try {
            $deadline = (Get-Date).AddSeconds(20)
            while (-not (Test-AsyaMesh -MeshPath $mesh -Actor b -Quiet) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Send-AsyaMessage -Route a, b, c -MeshPath $mesh -Payload '>' -Id 'three-1'
            $done = Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 20
            $done.Id | Should -Be 'three-1'
            $done.Payload | Should -Be '>ABC'
            @($done.Envelope.Route.Prev) | Should -Be @('a', 'b', 'c')
            $process.WaitForExit(10000) | Should -BeTrue
            $process.ExitCode | Should -Be 0
            Get-Content (Join-Path $mesh 'peer.out') | Should -Contain 'ACTED three-1 c'
        } finally {
            if (-not $process.HasExited) { $process.Kill() }
        }
    }

    It 'keeps the payload when the script writes nothing' {
        $null = Start-AsyaActor -Name quiet -MeshPath $mesh -Process { $null = $_ }
        Send-AsyaMessage -Actor quiet -MeshPath $mesh -Payload @{ kept = 'yes' }
        (Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 15).Payload.kept | Should -Be 'yes'
    }

    It 'sends an envelope for another actor to the sump as RouteMismatch' {
        $null = Start-AsyaActor -Name strict -MeshPath $mesh -Process { 'never' }
        New-AsyaEnvelope -Actor someone-else -Payload @{ a = 1 } -Id 'wrong-1' | Send-AsyaMessage -Actor strict -MeshPath $mesh
        $error = Receive-AsyaMessage -Listener $sump -Count 1 -TimeoutSec 15
        $error.Id | Should -Be 'wrong-1'
        $error.Phase | Should -Be 'failed'
        $error.Reason | Should -Be 'RouteMismatch'
        $error.Payload.error | Should -Be 'Route mismatch'
        $error.Payload.original_payload.a | Should -Be 1
        $sink.Received | Should -Be 0
    }

    It 'sends an unparsable body to the sump as ParseError' {
        $null = Start-AsyaActor -Name parser -MeshPath $mesh -Process { $_ }
        Send-AsyaMessage -Actor parser -MeshPath $mesh -Text 'not json'
        $error = Receive-AsyaMessage -Listener $sump -Count 1 -TimeoutSec 15
        $error.Reason | Should -Be 'ParseError'
        $error.Payload.original_payload | Should -Be 'not json'
    }

    It 'sends a failed envelope with status.error to the sink when the script throws' {
        $null = Start-AsyaActor -Name boom -MeshPath $mesh -Process { throw [System.InvalidOperationException]::new('no stock') }
        Send-AsyaMessage -Actor boom -MeshPath $mesh -Payload 1 -Id 'boom-1'
        $failed = Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 15
        $failed.Id | Should -Be 'boom-1'
        $failed.Phase | Should -Be 'failed'
        $failed.Reason | Should -Be 'RuntimeError'
        $failed.Envelope.Status.Error.Message | Should -Be 'no stock'
        $failed.Envelope.Status.Error.Type | Should -Be 'InvalidOperationException'
    }

    It 'fans out several outputs; children after the first get parent_id' {
        $null = Start-AsyaActor -Name split -MeshPath $mesh -Process { $_.payload | ForEach-Object { @{ part = $_ } } }
        Send-AsyaMessage -Actor split -MeshPath $mesh -Payload @('a', 'b', 'c') -Id 'parent-1'
        $children = Receive-AsyaMessage -Listener $sink -Count 3 -TimeoutSec 15
        ($children | ForEach-Object { $_.Payload.part } | Sort-Object) | Should -Be @('a', 'b', 'c')
        ($children | Where-Object Id -eq 'parent-1').Envelope.ParentId | Should -BeNullOrEmpty
        $others = $children | Where-Object Id -ne 'parent-1'
        @($others).Count | Should -Be 2
        $others.Envelope.ParentId | Should -Be @('parent-1', 'parent-1')
    }

    It 'carries 1,000 envelopes through a two-actor flow with none lost or duplicated' {
        $null = Start-AsyaActor -Name first -MeshPath $mesh -Process { $_.payload + 1 }
        $null = Start-AsyaActor -Name second -MeshPath $mesh -Process { $_.payload * 10 }
        1..1000 | Send-AsyaMessage -Route first, second -MeshPath $mesh
        $done = Receive-AsyaMessage -Listener $sink -Count 1000 -TimeoutSec 120
        @($done).Count | Should -Be 1000
        @($done.Id | Sort-Object -Unique).Count | Should -Be 1000
        ($done.Payload | Sort-Object) | Should -Be (1..1000 | ForEach-Object { ($_ + 1) * 10 })
    }

    It 'is stopped by Stop-AsyaListener and removes its socket' {
        $actor = Start-AsyaActor -Name stopper -MeshPath $mesh -Process { $_ }
        Stop-AsyaListener -Name stopper
        $actor.State | Should -Be 'Stopped'
        Test-Path (Join-Path $mesh 'stopper.sock') | Should -BeFalse
    }
}

Describe 'Invoke-AsyaFlow' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'returns the final envelope, the path and the hops' {
        $null = Start-AsyaActor -Name a -MeshPath $mesh -Process { $_.payload + 'a' }
        $null = Start-AsyaActor -Name b -MeshPath $mesh -Process { $_.payload + 'b' }
        $result = Invoke-AsyaFlow -Route a, b -Payload '>' -MeshPath $mesh -TimeoutSec 15
        $result.Phase | Should -Be 'succeeded'
        $result.Payload | Should -Be '>ab'
        $result.Path | Should -Be @('a', 'b')
        $result.EndedAt | Should -Be 'x-sink'
        $result.Hops.Actor | Should -Be @('a', 'b', 'x-sink')
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
    }

    It 'names the last hop it can prove when nothing arrives, and the actors still stop at once' {
        # a forwards to c, which is not running: a keeps retrying and nothing reaches the sink.
        $a = Start-AsyaActor -Name a -MeshPath $mesh -Process { $_ }
        $result = Invoke-AsyaFlow -Route a, c -MeshPath $mesh -Payload 1 -TimeoutSec 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FlowTimeout,*'
        $failure[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failure[0].Exception.Message | Should -Match "last hop proven reached is 'a'"
        (Measure-Command { Stop-Job $a }).TotalSeconds | Should -BeLessThan 2
        $a.Error[0].FullyQualifiedErrorId | Should -Be 'ActorStopped'
    }

    It 'reports, as a warning, another envelope that reaches the sink during the flow' {
        $script = [scriptblock]::Create("Import-Module '$ModuleManifest'; Send-AsyaMessage -Actor x-sink -MeshPath '$mesh' -Text 'stray'; `$_.payload")
        $null = Start-AsyaActor -Name a -MeshPath $mesh -Process $script
        $result = Invoke-AsyaFlow -Route a -MeshPath $mesh -Payload 1 -TimeoutSec 15 -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Phase | Should -Be 'succeeded'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'stray'
    }

    It 'returns a failed flow when an actor throws' {
        $null = Start-AsyaActor -Name a -MeshPath $mesh -Process { throw 'broken' }
        $result = Invoke-AsyaFlow -Route a -MeshPath $mesh -Payload 1 -TimeoutSec 15
        $result.Phase | Should -Be 'failed'
        $result.Reason | Should -Be 'RuntimeError'
        $result.Error | Should -Be 'broken'
    }
}
