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

    It 'completes Invoke-AsyaFlow''s -SinkActor and -SumpActor with actor names, not file names' {
        Complete "Invoke-AsyaFlow -MeshPath $mesh -Route orders -SinkActor pay" | Should -Be 'payments'
        Complete "Invoke-AsyaFlow -MeshPath $mesh -Route orders -SumpActor order-a" | Should -Be 'order-audit'
    }

    It 'resolves a relative -MeshPath against the PowerShell location, not the process directory' {
        $processDirectory = [Environment]::CurrentDirectory
        Push-Location (Split-Path $mesh)
        try {
            [Environment]::CurrentDirectory = [IO.Path]::GetTempPath() + '..'
            $relative = './' + (Split-Path -Leaf $mesh)
            Complete "Send-AsyaMessage -MeshPath $relative -Actor pay" | Should -Be 'payments'
        } finally {
            Pop-Location
            [Environment]::CurrentDirectory = $processDirectory
        }
    }

    It 'resolves a -MeshPath on a PSDrive' {
        New-PSDrive -Name asyamesh -PSProvider FileSystem -Root $mesh | Out-Null
        try {
            Complete 'Test-AsyaMesh -MeshPath asyamesh:/ -Actor pay' | Should -Be 'payments'
        } finally { Remove-PSDrive asyamesh }
    }

    It 'completes Receive-AsyaMessage -Listener with listener names, and takes the name' {
        Complete 'Receive-AsyaMessage -Listener compl' | Should -Be 'completion-test'
        @{ n = 1 } | Send-AsyaMessage -Actor payments -MeshPath $mesh
        $message = Receive-AsyaMessage -Listener completion-test -Count 1 -TimeoutSec 10
        $message.Payload.n | Should -Be 1
        { Receive-AsyaMessage -Listener no-such-listener -Count 1 -TimeoutSec 1 } |
            Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException]) -ExpectedMessage '*No running listener is named ''no-such-listener''*'
    }

    It 'offers nothing, and does not throw, for a missing mesh' {
        Complete "Send-AsyaMessage -MeshPath $mesh/none -Actor x" | Should -BeNullOrEmpty
    }
}
