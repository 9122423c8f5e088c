BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

# Failures that concern one item are non-terminating, name their target and say what to do.
Describe 'Start-up failures and unserialisable input' {
    BeforeEach {
        $mesh = New-TestMesh
        $owner = Start-AsyaListener -Actor taken -MeshPath $mesh -Name owner
    }
    AfterEach { Remove-TestMesh $mesh }

    It '<Command> on a name a live listener owns is SocketInUse, silenced by -ErrorAction SilentlyContinue' -ForEach @(
        @{ Command = 'Start-AsyaListener'; Target = 'path'; Run = { param($m) Start-AsyaListener -Actor taken -MeshPath $m -Name second -ErrorAction SilentlyContinue -ErrorVariable failed; $failed } }
        @{ Command = 'Receive-AsyaMessage -Actor'; Target = 'actor'; Run = { param($m) Receive-AsyaMessage -Actor taken -MeshPath $m -Count 1 -TimeoutSec 5 -ErrorAction SilentlyContinue -ErrorVariable failed; $failed } }
        @{ Command = 'Start-AsyaActor'; Target = 'actor'; Run = { param($m) Start-AsyaActor -Name taken -MeshPath $m -Process { $_ } -ErrorAction SilentlyContinue -ErrorVariable failed; $failed } }
    ) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $failures = @(& $Run $mesh)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 4 -Because 'it fails at once, without waiting for -TimeoutSec'
        $failures | Should -HaveCount 1
        $failures[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SocketInUse,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $failures[0].TargetObject | Should -Be $(if ($Target -eq 'path') { Join-Path $mesh 'taken.sock' } else { 'taken' })
        $owner.State | Should -Be 'Running'
    }

    It 'names the missing mesh directory as the target of MeshDirectoryNotFound' {
        $missing = Join-Path $mesh 'nonexistent'
        Start-AsyaListener -Actor a -MeshPath $missing -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed.FullyQualifiedErrorId | Should -BeLike 'MeshDirectoryNotFound,*'
        $failed[0].TargetObject | Should -Be $missing
        $failed[0].CategoryInfo.TargetName | Should -Be $missing
    }

    It 'says to select properties or pass -Depth for an object with a reference cycle, and -Depth sends it' {
        $item = Get-Item $mesh
        $item | Send-AsyaMessage -Actor taken -MeshPath $mesh -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessage,*'
        $failed[0].Exception.Message | Should -Match 'reference cycle'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Select-Object'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Depth'
        $failed[0].TargetObject.FullName | Should -Be $item.FullName

        $item | Send-AsyaMessage -Actor taken -MeshPath $mesh -Depth 1
        $item | Select-Object Name, FullName | Send-AsyaMessage -Actor taken -MeshPath $mesh
        $received = Receive-AsyaMessage -Listener $owner -Count 2 -TimeoutSec 10
        $received[0].Payload.FullName | Should -Be $item.FullName
        $received[0].Payload.Parent.Root | Should -BeOfType ([string]) -Because 'what is nested deeper than -Depth is written as text'
        $received[1].Payload.Name | Should -Be $item.Name
    }
}
