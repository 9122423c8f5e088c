BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Start-AsyaListener jobs' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'is a job in the repository that Get-Job, Receive-Job, Stop-Job and Remove-Job handle' {
        $job = Start-AsyaListener -Actor capture -MeshPath $mesh -Name cap1
        $job.PSJobTypeName | Should -Be 'AsyaListener'
        $job.Location | Should -Be (Join-Path $mesh 'capture.sock')
        (Get-Job -Name cap1).InstanceId | Should -Be $job.InstanceId
        (Get-Job -Name cap1).State | Should -Be 'Running'

        Send-AsyaMessage -Actor capture -MeshPath $mesh -Payload @{ n = 1 }
        $deadline = (Get-Date).AddSeconds(10)
        while (-not $job.HasMoreData -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $message = Receive-Job $job
        $message.GetType().FullName | Should -Be 'AsyaSocket.AsyaMessage'
        $message.Payload.n | Should -Be 1

        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        Test-Path (Join-Path $mesh 'capture.sock') | Should -BeFalse
        Remove-Job $job
        Get-Job -Name cap1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'collects 1,000 messages from concurrent senders with none lost or duplicated' {
        $job = Start-AsyaListener -Actor capture -MeshPath $mesh
        1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:ModuleManifest
            $sender = $_
            1..250 | ForEach-Object { @{ sender = $sender; n = $_ } } | Send-AsyaMessage -Actor capture -MeshPath $using:mesh
        }
        $messages = Receive-AsyaMessage -Listener $job -Count 1000 -TimeoutSec 60
        @($messages).Count | Should -Be 1000
        $keys = $messages | ForEach-Object { '{0}:{1}' -f $_.Payload.sender, $_.Payload.n }
        @($keys | Sort-Object -Unique).Count | Should -Be 1000
        foreach ($sender in 1..4) {
            # Each sender waits for its ack before sending the next, so its messages arrive in order.
            $ordered = @($messages | Where-Object { $_.Payload.sender -eq $sender } | ForEach-Object { $_.Payload.n })
            $ordered | Should -Be (1..250)
        }
        $job.Received | Should -Be 1000
    }

    It 'listens as several actors in one job' {
        $job = Start-AsyaListener -Actor sink, sump -MeshPath $mesh -Name both
        Send-AsyaMessage -Actor sink -MeshPath $mesh -Payload 'ok'
        Send-AsyaMessage -Actor sump -MeshPath $mesh -Payload 'bad'
        $messages = Receive-AsyaMessage -Listener $job -Count 2 -TimeoutSec 10
        ($messages.Actor | Sort-Object) | Should -Be @('sink', 'sump')
    }

    It 'stops within 2 s while blocked in accept, and Stop-Job returns' {
        $job = Start-AsyaListener -Actor idle -MeshPath $mesh
        Start-Sleep -Milliseconds 100
        $elapsed = Measure-Command { Stop-Job $job }
        $elapsed.TotalSeconds | Should -BeLessThan 2
        $job.State | Should -Be 'Stopped'
    }

    It 'refuses a name a live listener owns, unless -Force' {
        $first = Start-AsyaListener -Actor taken -MeshPath $mesh -Name first
        { Start-AsyaListener -Actor taken -MeshPath $mesh -Name second } | Should -Throw -ErrorId 'SocketInUse,*'
        $second = Start-AsyaListener -Actor taken -MeshPath $mesh -Name second -Force
        Send-AsyaMessage -Actor taken -MeshPath $mesh -Payload 1
        (Receive-AsyaMessage -Listener $second -Count 1 -TimeoutSec 10).Payload | Should -Be 1
    }

    It 'notices its socket file was replaced, reports it, and leaves the new file alone' {
        $first = Start-AsyaListener -Actor shared -MeshPath $mesh -Name first
        $second = Start-AsyaListener -Actor shared -MeshPath $mesh -Name second -Force
        $deadline = (Get-Date).AddSeconds(10)
        while ($first.State -eq 'Running' -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $first.State | Should -Be 'Failed'
        $first.Error[0].FullyQualifiedErrorId | Should -Be 'SocketReplaced'
        Remove-Job $first -Force
        Test-Path (Join-Path $mesh 'shared.sock') | Should -BeTrue
        Send-AsyaMessage -Actor shared -MeshPath $mesh -Payload 2
        (Receive-AsyaMessage -Listener $second -Count 1 -TimeoutSec 10).Payload | Should -Be 2
    }

    It 'never deletes a regular file at the socket path' {
        Set-Content (Join-Path $mesh 'file.sock') 'data'
        { Start-AsyaListener -Actor file -MeshPath $mesh } | Should -Throw -ErrorId 'NotASocket,*'
        Get-Content (Join-Path $mesh 'file.sock') | Should -Be 'data'
    }

    It 'sets the socket mode' {
        $job = Start-AsyaListener -Actor open -MeshPath $mesh -SocketMode 0666
        (Get-Item (Join-Path $mesh 'open.sock')).UnixFileMode | Should -Be ([System.IO.UnixFileMode]438)
    }
}

Describe 'Get-AsyaListener and Stop-AsyaListener' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'finds listeners by name and wildcard, and stops them from the pipeline' {
        $null = Start-AsyaListener -Actor a1 -MeshPath $mesh -Name web-a
        $null = Start-AsyaListener -Actor a2 -MeshPath $mesh -Name web-b
        $null = Start-AsyaListener -Actor a3 -MeshPath $mesh -Name db
        (Get-AsyaListener -Name 'web-*').Name | Sort-Object | Should -Be @('web-a', 'web-b')
        $stopped = Get-AsyaListener -Name 'web-*' | Stop-AsyaListener -PassThru
        $stopped.State | Should -Be @('Stopped', 'Stopped')
        (Get-AsyaListener).Name | Should -Be 'db'
        Test-Path (Join-Path $mesh 'a1.sock') | Should -BeFalse
        Test-Path (Join-Path $mesh 'a3.sock') | Should -BeTrue
        Stop-AsyaListener db
        Get-AsyaListener | Should -BeNullOrEmpty
    }

    It 'says which name it could not find' {
        Get-AsyaListener -Name nothing -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ListenerNotFound,*'
        Stop-AsyaListener -Name nothing -ErrorVariable failure2 -ErrorAction SilentlyContinue
        $failure2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'keeps messages collected before the stop' {
        $job = Start-AsyaListener -Actor keep -MeshPath $mesh
        1..10 | Send-AsyaMessage -Actor keep -MeshPath $mesh
        Stop-AsyaListener -InputObject $job
        @(Receive-Job $job).Count | Should -Be 10
    }
}

Describe 'Module lifetime' {
    It 'removes every listener socket when the module is removed, and when pwsh exits' {
        $mesh = New-TestMesh
        try {
            $script = "Import-Module '$ModuleManifest'; `$null = Start-AsyaListener -Actor a -MeshPath '$mesh'; if (-not (Test-Path '$mesh/a.sock')) { exit 3 }; Remove-Module AsyaSocket; if (Test-Path '$mesh/a.sock') { exit 4 }; Import-Module '$ModuleManifest'; `$null = Start-AsyaListener -Actor b -MeshPath '$mesh'; exit 0"
            & $Pwsh -NoProfile -NonInteractive -Command $script
            $LASTEXITCODE | Should -Be 0
            Test-Path (Join-Path $mesh 'a.sock') | Should -BeFalse
            Test-Path (Join-Path $mesh 'b.sock') | Should -BeFalse
        } finally { Remove-Item -Recurse -Force $mesh }
    }
}

Describe 'Listener job backpressure and -WhatIf' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'stops acknowledging once -BufferSize messages wait uncollected, and loses none' {
        $job = Start-AsyaListener -Actor slow -MeshPath $mesh -BufferSize 5
        # Acked: 5 in the job's output, 1 in the pump's hand, 5 in the listener's buffer; the 12th waits.
        1..11 | Send-AsyaMessage -Actor slow -MeshPath $mesh
        Send-AsyaMessage -Actor slow -MeshPath $mesh -Payload 12 -TimeoutSec 1 -ErrorVariable held -ErrorAction SilentlyContinue
        $held[0].FullyQualifiedErrorId | Should -BeLike 'AckTimeout,*'
        $job.Output.Count | Should -Be 5
        $collected = Receive-AsyaMessage -Listener $job -Count 11 -TimeoutSec 10
        $collected.Payload | Should -Be (1..11)
        # Collecting made room: the next send is acked at once. The 12th was withdrawn when its sender gave
        # up, so it is not delivered behind the sender's back.
        Send-AsyaMessage -Actor slow -MeshPath $mesh -Payload 13 -TimeoutSec 5
        (Receive-AsyaMessage -Listener $job -Count 1 -TimeoutSec 10).Payload | Should -Be 13
        $job.Counters[0].Rejected['SenderGaveUp'] | Should -Be 1
    }

    It 'takes nothing from a listener job under -WhatIf' {
        $job = Start-AsyaListener -Actor kept -MeshPath $mesh
        Send-AsyaMessage -Actor kept -MeshPath $mesh -Payload 1
        $deadline = (Get-Date).AddSeconds(10)
        while ($job.Output.Count -lt 1 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 20 }
        Receive-AsyaMessage -Listener $job -WhatIf | Should -BeNullOrEmpty
        $job.Output.Count | Should -Be 1
    }
}
