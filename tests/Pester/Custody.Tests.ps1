# Issue 11, points 1 and 2: nothing acknowledged is ever lost. Every message a cmdlet or a mock actor
# acknowledged reaches the pipeline, stays readable, or ends in exactly one place the user can find.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # Sends in the background, in a runspace of its own: returns a handle for Complete-Send.
    function Start-Send([string] $Mesh, [string] $Actor, [string] $Id, [object] $Payload, [double] $TimeoutSec = 20, [string[]] $Route, [int] $RetryCount = 60) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($module, $mesh, $actor, $id, $payload, $timeout, $route, $retries)
            Import-Module $module
            $parameters = @{ MeshPath = $mesh; Payload = $payload; Id = $id; TimeoutSec = $timeout; PassThru = $true; RetryCount = $retries }
            if ($route) { $parameters.Route = $route } else { $parameters.Actor = $actor }
            Send-AsyaMessage @parameters
        }).AddArgument($ModuleManifest).AddArgument($Mesh).AddArgument($Actor).AddArgument($Id).AddArgument($Payload).AddArgument($TimeoutSec).AddArgument($Route).AddArgument($RetryCount)
        [pscustomobject]@{ Id = $Id; Shell = $ps; Handle = $ps.BeginInvoke() }
    }

    # Waits for a background send: Acked (the receiver sent the 0x01 byte) and the error id when it failed.
    function Complete-Send($Send, [double] $TimeoutSec = 30) {
        $Send.Handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSec)) | Should -BeTrue -Because "the send of $($Send.Id) should end"
        $delivery = $Send.Shell.EndInvoke($Send.Handle)
        $errors = @($Send.Shell.Streams.Error)
        $Send.Shell.Dispose()
        [pscustomobject]@{ Id = $Send.Id; Acked = (@($delivery).Count -eq 1); ErrorId = ($errors | Select-Object -First 1).FullyQualifiedErrorId }
    }

    function Wait-Until([scriptblock] $Condition, [string] $What, [double] $TimeoutSec = 15) {
        $deadline = (Get-Date).AddSeconds($TimeoutSec)
        while (-not (& $Condition)) {
            if ((Get-Date) -gt $deadline) { throw "Timed out after $TimeoutSec s waiting until $What." }
            Start-Sleep -Milliseconds 20
        }
    }

    # Everything a listener job collected until it has been quiet for a moment.
    function Read-Collected($Listener) {
        Start-Sleep -Milliseconds 300
        @(Receive-AsyaMessage -Listener $Listener -TimeoutSec 0.5)
    }
}

Describe 'A mock actor keeps custody of what it acknowledged' {
    BeforeEach {
        $mesh = New-TestMesh
        $sink, $sump = Start-SinkAndSump $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'stops within 2 s during a 3 s script, and every acknowledged envelope is forwarded, at the sink or sump, or kept' {
        $slow = Start-AsyaActor -Name slow -MeshPath $mesh -Process { Start-Sleep -Seconds 3; $_.payload }
        $sends = 1..5 | ForEach-Object { Start-Send $mesh slow "slow-$_" @{ n = $_ } -RetryCount 2 }
        # The attacker's timing: all five acknowledged (within milliseconds), the first one's script running.
        Wait-Until { $slow.Counters[0].Acked -ge 5 -and $slow.Received -ge 1 } 'the actor acknowledged all five' 30
        Start-Sleep -Milliseconds 500
        (Measure-Command { Stop-Job $slow }).TotalSeconds | Should -BeLessThan 2
        $outcomes = $sends | ForEach-Object { Complete-Send $_ }

        $acked = @($outcomes | Where-Object Acked)
        $acked.Count | Should -BeGreaterThan 0 -Because 'the actor took at least the first envelope'
        $results = @(Receive-Job $slow -ErrorAction SilentlyContinue)
        $kept = @($results | Where-Object Kept)
        $places = @((Read-Collected $sink).Id) + @((Read-Collected $sump).Id) + @($kept.Kept.Id)
        foreach ($id in $acked.Id) {
            @($places | Where-Object { $_ -eq $id }).Count | Should -Be 1 -Because "acknowledged envelope $id must end in exactly one place"
        }
        # Any never acknowledged was given back to its sender: the connection closed without an ack.
        $outcomes | Where-Object { -not $_.Acked } | ForEach-Object { $_.ErrorId | Should -BeLike 'PeerClosedBeforeAck,*' }
        $kept[0].Outcome | Should -Be 'Stopped'
        $kept[0].Kept.Payload.n | Should -BeIn (1..5)
    }

    It 'sends the envelope to the sump with the error when the next hop stays missing' {
        $null = Start-AsyaActor -Name hop -MeshPath $mesh -RetryCount 2 -RetryIntervalMs 50 -Process { $_.payload }
        Send-AsyaMessage -Route hop, missing -MeshPath $mesh -Payload @{ n = 7 } -Id 'lost-hop-1'
        $undeliverable = Receive-AsyaMessage -Listener $sump -Count 1 -TimeoutSec 15
        $undeliverable.Id | Should -Be 'lost-hop-1'
        $undeliverable.Phase | Should -Be 'failed'
        $undeliverable.Reason | Should -Be 'DeliveryFailed'
        $undeliverable.Payload.original_payload.n | Should -Be 7
        $undeliverable.Payload.details | Should -Match 'missing'
        $undeliverable.Envelope.Status.Error.Message | Should -Match 'missing'
        $result = Receive-Job (Get-Job -Name hop) -ErrorAction SilentlyContinue
        $result.Outcome | Should -Be 'SendFailed'
        $result.SentTo | Should -Be 'x-sump'
        $result.Kept | Should -BeNullOrEmpty
        (Read-Collected $sink) | Should -BeNullOrEmpty
    }

    It 'keeps the whole envelope as a result that Send-AsyaMessage resends when neither the next hop nor the sump can take it' {
        Stop-Job $sump
        $hop = Start-AsyaActor -Name hop -MeshPath $mesh -RetryCount 2 -RetryIntervalMs 50 -Process { $_.payload }
        $sent = New-AsyaEnvelope -Route hop, missing -Payload @{ n = 8 } -Id 'kept-1'
        $sent | Send-AsyaMessage -MeshPath $mesh
        Wait-Until { $hop.HasMoreData -and $hop.Output.Count -gt 0 } 'the actor reports the envelope'
        $result = Receive-Job $hop -ErrorAction SilentlyContinue
        $result.Outcome | Should -Be 'SendFailed'
        $result.Kept.Id | Should -Be 'kept-1'
        $result.Kept.Payload.n | Should -Be 8

        # Resending it goes to the actor it was acknowledged by, byte for byte.
        Stop-Job $hop
        $again = Start-AsyaListener -Actor hop -MeshPath $mesh -Name again
        $result | Send-AsyaMessage
        $resent = Receive-AsyaMessage -Listener $again -Count 1 -TimeoutSec 10
        $resent.Text | Should -Be $result.Kept.Text
        $resent.Envelope.Route.Curr | Should -Be 'hop'
    }

    It 'stops within 2 s while it retries a missing next hop, and keeps the envelope' {
        $hop = Start-AsyaActor -Name hop -MeshPath $mesh -Process { $_.payload }
        $send = Start-Send $mesh $null 'retrying-1' 5 -Route hop, missing
        (Complete-Send $send).Acked | Should -BeTrue
        Start-Sleep -Milliseconds 700
        (Measure-Command { Stop-Job $hop }).TotalSeconds | Should -BeLessThan 2
        $result = Receive-Job $hop -ErrorAction SilentlyContinue
        $result.Outcome | Should -Be 'Stopped'
        $result.Kept.Id | Should -Be 'retrying-1'
        (Read-Collected $sump) | Should -BeNullOrEmpty
    }

    It 'keeps the envelopes that waited behind a running script when it is stopped' {
        $slow = Start-AsyaActor -Name slow -MeshPath $mesh -Process { Start-Sleep -Seconds 30; $_.payload }
        1..3 | ForEach-Object { Send-AsyaMessage -Actor slow -MeshPath $mesh -Payload $_ -Id "waiting-$_" }
        Wait-Until { $slow.Received -ge 1 } 'the actor takes the first envelope'
        (Measure-Command { Stop-Job $slow }).TotalSeconds | Should -BeLessThan 2
        $kept = @(Receive-Job $slow -ErrorAction SilentlyContinue | Where-Object Kept)
        ($kept.Kept.Id | Sort-Object) | Should -Be @('waiting-1', 'waiting-2', 'waiting-3')
        $kept.Outcome | Should -Be @('Stopped', 'Stopped', 'Stopped')
        (Read-Collected $sink) | Should -BeNullOrEmpty
    }
}

Describe 'A listener job keeps what it acknowledged until someone takes it' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'gives back the message of a Receive-AsyaMessage -Listener that was stopped before its pipeline took it' {
        $job = Start-AsyaListener -Actor keep -MeshPath $mesh
        Send-AsyaMessage -Actor keep -MeshPath $mesh -Payload 'precious' -Id 'precious-1'
        Wait-Until { $job.Output.Count -ge 1 } 'the job holds the message'

        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module, $job) Import-Module $module; $job | Receive-AsyaMessage -Count 1 | ForEach-Object { Start-Sleep -Seconds 30 }').
            AddArgument($ModuleManifest).AddArgument($job)
        $handle = $ps.BeginInvoke()
        Wait-Until { $job.Output.Count -eq 0 } 'the reader takes the message'
        Start-Sleep -Milliseconds 200
        $ps.Stop()
        $ps.Dispose()

        $again = Receive-AsyaMessage -Listener $job -Count 1 -TimeoutSec 5
        $again.Id | Should -Be 'precious-1'
    }

    It 'keeps the rest, and not the one Select-Object -First took' {
        $job = Start-AsyaListener -Actor keep -MeshPath $mesh
        1..3 | ForEach-Object { Send-AsyaMessage -Actor keep -MeshPath $mesh -Payload $_ -Id "keep-$_" }
        Wait-Until { $job.Output.Count -ge 3 } 'the job holds the messages'
        (Receive-AsyaMessage -Listener $job | Select-Object -First 1).Id | Should -Be 'keep-1'
        (Receive-AsyaMessage -Listener $job -Count 2 -TimeoutSec 5).Id | Should -Be @('keep-2', 'keep-3')
    }
}

Describe 'Foreground Receive-AsyaMessage acknowledges a message only once the pipeline took it' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'acks after the downstream command returned, and a stop before that sends no ack' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module, $mesh) Import-Module $module; Receive-AsyaMessage -Actor fg -MeshPath $mesh | ForEach-Object { Start-Sleep -Seconds 30 }').
            AddArgument($ModuleManifest).AddArgument($mesh)
        $handle = $ps.BeginInvoke()
        try {
            Wait-Until { Test-Path (Join-Path $mesh 'fg.sock') } 'the receiver listens'
            $send = Start-Send $mesh fg 'fg-1' 1
            Start-Sleep -Milliseconds 1000
            $send.Handle.IsCompleted | Should -BeFalse -Because 'the pipeline is still handling the message, so it is not acknowledged yet'
            $ps.Stop()
            $outcome = Complete-Send $send
            $outcome.Acked | Should -BeFalse
            $outcome.ErrorId | Should -BeLike 'PeerClosedBeforeAck,*'
        } finally { $ps.Dispose() }
    }

    It 'acks the message Select-Object -First took, and no other' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module, $mesh) Import-Module $module; Receive-AsyaMessage -Actor fg -MeshPath $mesh | Select-Object -First 1').
            AddArgument($ModuleManifest).AddArgument($mesh)
        $handle = $ps.BeginInvoke()
        try {
            Wait-Until { Test-Path (Join-Path $mesh 'fg.sock') } 'the receiver listens'
            $sends = 1..3 | ForEach-Object { Start-Send $mesh fg "first-$_" $_ -TimeoutSec 10 -RetryCount 2 }
            $handle.AsyncWaitHandle.WaitOne(15000) | Should -BeTrue
            $taken = $ps.EndInvoke($handle)
            $outcomes = $sends | ForEach-Object { Complete-Send $_ }
            @($outcomes | Where-Object Acked).Id | Should -Be @($taken.Id)
        } finally { $ps.Dispose() }
    }
}

Describe 'Ctrl+C of a foreground receive under 16 senders (the attacker''s case)' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'never acknowledges a message the pipeline did not write, in <Rounds> rounds' -ForEach @{ Rounds = 3 } {
        foreach ($round in 1..$Rounds) {
            $file = Join-Path $mesh "written-$round.txt"
            $ps = [powershell]::Create()
            $null = $ps.AddScript('param($module, $mesh, $file) Import-Module $module; Receive-AsyaMessage -Actor fg -MeshPath $mesh | ForEach-Object { Add-Content -Path $file -Value $_.Id }').
                AddArgument($ModuleManifest).AddArgument($mesh).AddArgument($file)
            $handle = $ps.BeginInvoke()
            Wait-Until { Test-Path (Join-Path $mesh 'fg.sock') } 'the receiver listens'
            # 16 senders, each sending until its first failure; what each got acked is its output.
            $senders = 1..16 | ForEach-Object {
                $sender = [powershell]::Create()
                $null = $sender.AddScript({
                    param($module, $mesh, $n)
                    Import-Module $module
                    $i = 0
                    while ($true) {
                        $i++
                        $sent = Send-AsyaMessage -Actor fg -MeshPath $mesh -Payload $i -Id "s$n-$i" -RetryCount 1 -TimeoutSec 10 -PassThru -ErrorAction SilentlyContinue
                        if (-not $sent) { break }
                        $sent.Id
                    }
                }).AddArgument($ModuleManifest).AddArgument($mesh).AddArgument($_)
                [pscustomobject]@{ Shell = $sender; Handle = $sender.BeginInvoke() }
            }
            # Stopped while messages flow: once the pipeline wrote a few dozen (the senders' shells take a while to start).
            Wait-Until { (Test-Path $file) -and @(Get-Content $file).Count -ge 30 } 'messages flow through the pipeline' 60
            Start-Sleep -Milliseconds 300
            $ps.Stop()
            $ps.Dispose()
            $acked = foreach ($sender in $senders) {
                $sender.Handle.AsyncWaitHandle.WaitOne(30000) | Should -BeTrue
                $sender.Shell.EndInvoke($sender.Handle)
                $sender.Shell.Dispose()
            }
            $written = if (Test-Path $file) { @(Get-Content $file) } else { @() }
            @($acked).Count | Should -BeGreaterThan 0
            $lost = @($acked | Where-Object { $_ -notin $written })
            $lost | Should -BeNullOrEmpty -Because "round ${round}: every message acked to its sender must have been written ($(@($acked).Count) acked, $($written.Count) written)"
        }
    }
}
