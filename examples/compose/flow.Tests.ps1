# Pester tests against the Compose mesh. Run in the tools container (-CI writes testResults.xml to the
# working directory, so it is a writable one: /scripts is mounted read-only):
#   docker compose run --rm --workdir /tmp tools pwsh -c "Invoke-Pester /scripts/flow.Tests.ps1 -CI"
BeforeAll {
    Import-Module AsyaSocket
    $capture = Start-AsyaListener -Actor ps-capture
}

AfterAll {
    $capture | Stop-AsyaListener
}

Describe 'validate-order > enrich' {
    It 'has both actors up and reachable by this user' {
        Test-AsyaMesh -Actor validate-order, enrich -Quiet | Should -BeTrue
    }

    It 'validates and enriches an order' {
        $sent = @{ order_id = 'A-1001'; amount = 42.5 } | Send-AsyaMessage -Route validate-order, enrich -PassThru
        $done = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 30
        $done.Id | Should -Be $sent.Id
        $done.Phase | Should -Be 'succeeded'
        $done.Reason | Should -Be 'Completed'
        @($done.Envelope.Route.Prev) | Should -Be @('validate-order', 'enrich')
        $done.Payload.valid | Should -BeTrue
        $done.Payload.region | Should -Be 'eu-west'
    }

    It 'reports a handler failure at the sink as failed' {
        $sent = @{ order_id = 'A-1002'; amount = -1 } | Send-AsyaMessage -Route validate-order, enrich -PassThru
        $done = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 30
        $done.Id | Should -Be $sent.Id
        $done.Phase | Should -Be 'failed'
        $done.Envelope.Status.Error.Message | Should -Match 'amount must be positive'
    }

    It 'sends an envelope for another actor to the sump as a route mismatch' {
        $envelope = New-AsyaEnvelope -Actor someone-else -Payload @{ order_id = 'A-1003' }
        $envelope | Send-AsyaMessage -Actor validate-order
        $done = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 30
        $done.Id | Should -Be $envelope.Id
        $done.Phase | Should -Be 'failed'
    }
}
