BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

# A piped object's properties are payload data: they never rewrite the envelope or redirect the send.
Describe 'Payload properties and the envelope' {
    BeforeEach {
        $mesh = New-TestMesh
        $inbox = Start-AsyaListener -Actor in -MeshPath $mesh
        $elsewhere = Start-AsyaListener -Actor elsewhere -MeshPath $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'gives every piped row its own envelope id, whatever its id field says' {
        $sent = '[{"id":1,"name":"a"},{"id":1,"name":"b"}]' | ConvertFrom-Json | Send-AsyaMessage -Actor in -MeshPath $mesh -PassThru
        $received = Receive-AsyaMessage -Listener $inbox -Count 2 -TimeoutSec 10
        $received.Id | Select-Object -Unique | Should -HaveCount 2
        $received.Id | Should -Not -Contain '1'
        $sent.Id | Should -Be $received.Id
        $received.Payload.id | Should -Be @(1, 1) -Because 'the id field stays in the payload'
    }

    It 'does not take an Id property (a process id, say) as the envelope id' {
        $delivery = [pscustomobject]@{ Id = $PID; ProcessName = 'pwsh' } | Send-AsyaMessage -Actor in -MeshPath $mesh -PassThru
        $delivery.Id | Should -Not -Be "$PID"
        (Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10).Payload.Id | Should -Be $PID
    }

    It 'does not let an actor column redirect the send' {
        [pscustomobject]@{ actor = 'elsewhere'; n = 1 } | Send-AsyaMessage -Route in -MeshPath $mesh
        [pscustomobject]@{ actor = 'elsewhere'; n = 2 } | Send-AsyaMessage -MeshPath $mesh -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.FullyQualifiedErrorId | Should -BeLike 'InvalidMessage,*' -Because 'with neither -Actor nor -Route there is no actor to send to'
        (Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10).Payload.n | Should -Be 1
        Start-Sleep -Milliseconds 200
        $elsewhere.Received | Should -Be 0
    }

    It 'does not let a MeshPath property choose the mesh' {
        $other = New-TestMesh
        try {
            [pscustomobject]@{ MeshPath = $other; n = 3 } | Send-AsyaMessage -Actor in -MeshPath $mesh
            (Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10).Payload.n | Should -Be 3
        } finally { Remove-Item $other -Recurse -Force }
    }

    It 'still replays a received message by value, to its own mesh, with its id and bytes' {
        @{ order = 'A-1' } | Send-AsyaMessage -Actor in -MeshPath $mesh -Id replay-1
        $message = Receive-AsyaMessage -Listener $inbox -Count 1 -TimeoutSec 10
        Push-Location ([IO.Path]::GetTempPath())
        try { $message | Send-AsyaMessage -Actor elsewhere } finally { Pop-Location }
        $replayed = Receive-AsyaMessage -Listener $elsewhere -Count 1 -TimeoutSec 10
        $replayed.Id | Should -Be 'replay-1'
        $replayed.Text | Should -Be $message.Text
    }
}
