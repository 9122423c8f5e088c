BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

# One parameter vocabulary across the cmdlets, with the old names kept where scripts may use them.
Describe 'Parameter vocabulary' {
    It '-Name is a listener job''s name on every cmdlet, and -Actor an actor''s' {
        foreach ($command in Get-Command -Module AsyaSocket) {
            if ($command.Parameters.ContainsKey('Name')) {
                $command.Name | Should -BeIn 'Start-AsyaListener', 'Get-AsyaListener', 'Stop-AsyaListener' -Because "-Name names a listener job ($($command.Name))"
            }
        }
        (Get-Command Start-AsyaActor).Parameters['Actor'].Aliases | Should -Contain 'Name' -Because 'scripts written for -Name keep working'
    }

    It 'times are seconds named *Sec beside -TimeoutSec; the old -RetryIntervalMs is kept but hidden' {
        $send = Get-Command Send-AsyaMessage
        $send.Parameters['RetryIntervalSec'].ParameterType | Should -Be ([double])
        $send.Parameters['RetryCount'].Aliases | Should -Contain 'MaximumRetryCount'
        foreach ($command in Get-Command -Module AsyaSocket) {
            foreach ($parameter in $command.Parameters.Values | Where-Object Name -notin $Common) {
                if ($parameter.Name -match 'Ms$') {
                    "$($command.Name) -$($parameter.Name)" | Should -BeIn 'Send-AsyaMessage -RetryIntervalMs', 'Start-AsyaActor -RetryIntervalMs'
                    $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).DontShow | Should -BeTrue
                }
                if ($parameter.Name -match 'Sec$') { $parameter.ParameterType | Should -Be ([double]) }
            }
        }
    }

    It 'documents the vocabulary and the aliases' {
        $about = (Get-Help about_AsyaSocket | Out-String) -replace '\s+', ' '
        $about | Should -Match '-Name. is always a listener job'
        $about | Should -Match 'Start-AsyaActor -Name. \(now .-Actor.\)'
        (Get-Help Start-AsyaActor -Parameter Actor).aliases | Should -Be 'Name'
    }
}

Describe 'The settled names at work' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'Start-AsyaActor takes -Actor, and -Name still' {
        $new = Start-AsyaActor -Actor new-style -MeshPath $mesh -Process { $_.payload }
        $old = Start-AsyaActor -Name old-style -MeshPath $mesh -Process { $_.payload }
        $new.Name | Should -Be 'new-style'
        $old.Name | Should -Be 'old-style'
        Test-AsyaMesh -MeshPath $mesh -Actor new-style, old-style -Quiet | Should -BeTrue
    }

    It 'Send-AsyaMessage waits -RetryIntervalSec between attempts, and -RetryIntervalMs the same' {
        $lines = Send-AsyaMessage -Actor absent -MeshPath $mesh -Payload 1 -RetryCount 2 -RetryIntervalSec 0.25 -Verbose -ErrorAction SilentlyContinue 4>&1
        @($lines) -match 'retrying in 250 ms' | Should -HaveCount 1
        $lines = Send-AsyaMessage -Actor absent -MeshPath $mesh -Payload 1 -MaximumRetryCount 2 -RetryIntervalMs 250 -Verbose -ErrorAction SilentlyContinue 4>&1
        @($lines) -match 'Attempt 1 of 2 .* retrying in 250 ms' | Should -HaveCount 1
    }
}
