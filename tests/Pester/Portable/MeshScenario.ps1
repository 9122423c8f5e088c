# A Pester script as a user writes it for a socket mesh: it names no transport, no broker and no mesh
# directory. RabbitMQ.Tests.ps1 runs it unchanged twice, in child shells that differ only in their
# environment: once with ASYA_SOCKET_MESH_DIR (a socket mesh), once with ASYA_TRANSPORT=rabbitmq,
# ASYA_RABBITMQ_URL and ASYA_NAMESPACE (an Asya mesh on RabbitMQ), as a sidecar would be configured.
# (Not named *.Tests.ps1, so the suite does not run it on its own.)
BeforeAll {
    Import-Module $env:ASYASOCKET_MODULE
}

Describe 'an order mesh' {
    BeforeAll {
        $capture = Start-AsyaListener -Actor ps-capture
        $enrich = Start-AsyaActor -Name enrich -SinkActor ps-capture -SumpActor ps-capture -Process {
            if ($_.payload.amount -le 0) { throw 'amount must be positive' }
            $_.payload | Add-Member region eu-west -PassThru
        }
    }
    AfterAll {
        Get-AsyaListener | Stop-AsyaListener
    }

    It 'checks the running actor' {
        Test-AsyaMesh -Actor enrich -Quiet | Should -BeTrue
    }

    It 'sends to a listener and reads what it received' {
        $sent = @{ order_id = 'A-1'; amount = 10 } | Send-AsyaMessage -Actor ps-capture -PassThru
        $got = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 20
        $got.Id | Should -Be $sent.Id
        $got.Payload.order_id | Should -Be 'A-1'
    }

    It 'runs a mock actor that routes results and failures to the sink' {
        @{ order_id = 'A-2'; amount = 5 }, @{ order_id = 'A-3'; amount = -1 } | Send-AsyaMessage -Actor enrich
        $results = Receive-AsyaMessage -Listener $capture -Count 2 -TimeoutSec 20 | Sort-Object { $_.Payload.order_id }
        $results[0].Phase | Should -Be 'succeeded'
        $results[0].Payload.region | Should -Be 'eu-west'
        $results[1].Phase | Should -Be 'failed'
        $results[1].Reason | Should -Be 'RuntimeError'
    }

    It 'traces a flow to the sink' {
        $null = Start-AsyaActor -Name validate -SinkActor ps-flow-sink -SumpActor ps-flow-sump -Process { $_.payload }
        $flow = Invoke-AsyaFlow -Route validate -SinkActor ps-flow-sink -SumpActor ps-flow-sump -Payload @{ order_id = 'A-5' } -TimeoutSec 20
        $flow.Phase | Should -Be 'succeeded'
        $flow.EndedAt | Should -Be 'ps-flow-sink'
    }
}
