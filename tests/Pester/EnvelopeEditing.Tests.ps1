BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

# New-AsyaEnvelope's output is edited with ordinary PowerShell syntax, and what is sent is the edited envelope.
Describe 'Editing New-AsyaEnvelope''s output' {
    BeforeEach {
        $mesh = New-TestMesh
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        $envelope = New-AsyaEnvelope -Actor capture -Payload @{ order = @{ id = 'A-1'; lines = @(1, 2) }; amount = 10 } -Header @{ tenant = 't1' }
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'reads the payload, headers, route and status as PowerShell values' {
        $envelope.Payload.amount | Should -Be 10
        $envelope.Payload.order.id | Should -Be 'A-1'
        $envelope.Payload.order.lines | Should -Be @(1, 2)
        $envelope.Headers['tenant'] | Should -Be 't1'
        $envelope.Headers.tenant | Should -Be 't1'
        $envelope.Route.Curr | Should -Be 'capture'
        $envelope.Status | Should -BeNullOrEmpty
    }

    It 'sends every edit: payload fields, a new payload member, headers, route and status' {
        $envelope.Payload.amount = 12.5
        $envelope.Payload.order.id = 'A-2'
        $envelope.Payload | Add-Member -NotePropertyName currency -NotePropertyValue 'EUR'
        $envelope.Headers['traceparent'] = '00-abc-01'
        $envelope.Headers.tenant = 't2'
        $envelope.Route.Next += 'audit'
        $envelope.Status = @{ Phase = 'pending'; Actor = 'me' }
        $envelope.Id = 'edited-1'
        $envelope | Send-AsyaMessage -MeshPath $mesh

        $received = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $wire = $received.Text | ConvertFrom-Json
        $wire.id | Should -Be 'edited-1'
        $wire.payload.amount | Should -Be 12.5
        $wire.payload.order.id | Should -Be 'A-2'
        $wire.payload.order.lines | Should -Be @(1, 2)
        $wire.payload.currency | Should -Be 'EUR'
        $wire.headers.traceparent | Should -Be '00-abc-01'
        $wire.headers.tenant | Should -Be 't2'
        $wire.route.curr | Should -Be 'capture'
        @($wire.route.next) | Should -Be @('audit')
        $wire.status.phase | Should -Be 'pending'
        $wire.status.actor | Should -Be 'me'
    }

    It 'sends a replaced payload through -Envelope, and ToJson shows the edits before sending' {
        $envelope.Payload = @{ replaced = $true }
        ($envelope.ToJson() | ConvertFrom-Json).payload.replaced | Should -BeTrue
        Send-AsyaMessage -Envelope $envelope -MeshPath $mesh
        $received = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $received.Payload.replaced | Should -BeTrue
        $received.Payload.PSObject.Properties.Name | Should -Not -Contain 'amount'
    }
}
