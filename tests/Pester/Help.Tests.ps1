BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-Help' {
    It 'shows <_> with its synopsis, every parameter and examples' -ForEach @(Get-Command -Module AsyaSocket).Name {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+ \[' -Because 'a synopsis that is only the syntax means the MAML was not found'
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $documented = @($help.Parameters.Parameter.Name)
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $parameter
        }
    }

    It 'finds about_AsyaSocket' {
        (Get-Help about_AsyaSocket | Out-String) | Should -Match 'ASYA_ACTOR_SINK'
    }

    It 'tells how to receive large messages at speed, in about_AsyaSocket and Receive-AsyaMessage''s notes' {
        (Get-Help about_AsyaSocket | Out-String) | Should -Match 'DOTNET_GCLOHThreshold=0x600000 pwsh'
        (Get-Help Receive-AsyaMessage -Full | Out-String) -replace '\s+', ' ' | Should -Match 'Large messages. in about_AsyaSocket'
    }

    It 'describes a single parameter' {
        (Get-Help Send-AsyaMessage -Parameter Payload | Out-String) | Should -Match 'ConvertTo-Json'
    }
}
