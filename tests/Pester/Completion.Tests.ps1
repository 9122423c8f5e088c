BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    function Complete([string] $line) {
        [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
    }
}

Describe 'Argument completion' {
    BeforeEach {
        $mesh = New-TestMesh
        $null = Start-AsyaListener -Actor orders, order-audit, payments -MeshPath $mesh -Name completion-test
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'completes -Actor from the socket files in -MeshPath' {
        Complete "Send-AsyaMessage -MeshPath $mesh -Actor ord" | Sort-Object | Should -Be @('order-audit', 'orders')
        Complete "Test-AsyaMesh -MeshPath $mesh -Actor pay" | Should -Be 'payments'
    }

    It 'completes -Actor from ASYA_SOCKET_MESH_DIR' {
        $saved = $env:ASYA_SOCKET_MESH_DIR
        try {
            $env:ASYA_SOCKET_MESH_DIR = $mesh
            Complete 'Receive-AsyaMessage -Actor pa' | Should -Be 'payments'
        } finally { $env:ASYA_SOCKET_MESH_DIR = $saved }
    }

    It 'completes listener names' {
        Complete 'Stop-AsyaListener -Name compl' | Should -Be 'completion-test'
    }

    It 'offers nothing, and does not throw, for a missing mesh' {
        Complete "Send-AsyaMessage -MeshPath $mesh/none -Actor x" | Should -BeNullOrEmpty
    }
}
