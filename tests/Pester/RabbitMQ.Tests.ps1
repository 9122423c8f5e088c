# The cmdlets on an Asya mesh on RabbitMQ, against the private test broker (tests/Broker/test-broker.sh, started
# by test.sh: ASYA_TEST_RABBITMQ_URL). Without a broker these are skipped with the reason, except with CI=true.
BeforeDiscovery {
    $script:NoBroker = if ($env:ASYA_TEST_RABBITMQ_URL -or $env:CI -eq 'true') { $null }
        elseif ($env:ASYA_TEST_RABBITMQ_SKIP_REASON) { $env:ASYA_TEST_RABBITMQ_SKIP_REASON }
        else { 'no RabbitMQ test broker (ASYA_TEST_RABBITMQ_URL is not set; run under tests/Broker/test-broker.sh run)' }
    if ($NoBroker) { Write-Host "RabbitMQ tests skipped: $NoBroker" }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    if (-not $env:ASYA_TEST_RABBITMQ_URL) { throw 'No RabbitMQ test broker: ASYA_TEST_RABBITMQ_URL is not set (CI=true requires one).' }
    $script:BrokerUrl = $env:ASYA_TEST_RABBITMQ_URL
    $script:Password = ([uri]$BrokerUrl).UserInfo.Split(':')[1]
    $script:PlainUrl = $BrokerUrl -replace '//[^@/]*@', '//'

    # Runs a script in a child pwsh with exactly these variables set (and the usual ones cleared), and returns its output.
    function Invoke-Child([string] $Script, [hashtable] $Environment) {
        $names = 'ASYA_TRANSPORT', 'ASYA_RABBITMQ_URL', 'ASYA_NAMESPACE', 'ASYA_SOCKET_MESH_DIR', 'ASYA_RABBITMQ_HOST', 'ASYA_RABBITMQ_PASSWORD'
        $saved = @{}
        foreach ($name in $names + $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
        try {
            foreach ($key in $Environment.Keys) { [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
            $env:ASYASOCKET_MODULE = $ModuleManifest
            $env:ASYA_TEST_PESTER = (Get-Module Pester).Path
            & $Pwsh -NoProfile -NonInteractive -Command $Script 2>&1 | ForEach-Object { "$_" }
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    function New-Namespace { 'ps' + [Guid]::NewGuid().ToString('N').Substring(0, 8) }
}

Describe 'a Pester script written for a socket mesh' -Skip:([bool]$NoBroker) {
    BeforeAll {
        $script:Scenario = Join-Path $PSScriptRoot 'Portable/MeshScenario.ps1'
        $script:RunScenario = @"
Import-Module `$env:ASYA_TEST_PESTER
`$c = New-PesterConfiguration; `$c.Run.Path = '$Scenario'; `$c.Run.PassThru = `$true; `$c.Output.Verbosity = 'Detailed'
`$r = Invoke-Pester -Configuration `$c
"SCENARIO {0} passed {1} failed" -f `$r.PassedCount, (`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount)
"@
    }

    It 'passes on a socket mesh' {
        $mesh = New-TestMesh
        try {
            $output = Invoke-Child $RunScenario @{ ASYA_SOCKET_MESH_DIR = $mesh }
            ($output -join "`n") | Should -Match 'SCENARIO 4 passed 0 failed'
        } finally { Remove-Item -Recurse -Force $mesh }
    }

    It 'passes unchanged on RabbitMQ when only the environment says so' {
        $output = Invoke-Child $RunScenario @{ ASYA_TRANSPORT = 'rabbitmq'; ASYA_RABBITMQ_URL = $BrokerUrl; ASYA_NAMESPACE = (New-Namespace) }
        ($output -join "`n") | Should -Match 'SCENARIO 4 passed 0 failed'
        ($output -join "`n") | Should -Not -Match ([regex]::Escape($Password))
    }
}

Describe 'mock actors on RabbitMQ' -Skip:([bool]$NoBroker) {
    It 'lose no message when the actor process is killed' {
        $ns = New-Namespace
        $actorScript = @'
Import-Module $env:ASYASOCKET_MODULE
$null = Start-AsyaActor -Name slow -SinkActor ps-sink -Process { Start-Sleep -Milliseconds 300; $_.payload }
Start-Sleep -Seconds 120
'@
        $environment = @{ ASYA_TRANSPORT = 'rabbitmq'; ASYA_RABBITMQ_URL = $BrokerUrl; ASYA_NAMESPACE = $ns }
        $mesh = Connect-AsyaMesh -Uri $BrokerUrl -Namespace $ns
        try {
            $sink = Start-AsyaListener -Actor ps-sink
            foreach ($key in $environment.Keys) { [Environment]::SetEnvironmentVariable($key, $environment[$key]) }
            $env:ASYASOCKET_MODULE = $ModuleManifest
            $child = Start-Process -FilePath $Pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $actorScript -PassThru -RedirectStandardOutput (New-TemporaryFile)
            foreach ($key in $environment.Keys) { [Environment]::SetEnvironmentVariable($key, $null) }
            $deadline = (Get-Date).AddSeconds(30)
            while (-not (Test-AsyaMesh -Actor slow -Quiet) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 200 }
            1..10 | ForEach-Object { @{ n = $_ } | Send-AsyaMessage -Actor slow }
            $first = Receive-AsyaMessage -Listener $sink -Count 2 -TimeoutSec 30
            Stop-Process -Id $child.Id -Force      # SIGKILL: no cleanup runs in the actor
            $child.WaitForExit()

            # A second actor under the same name takes over what the dead one did not finish.
            $null = Start-AsyaActor -Name slow -SinkActor ps-sink -Process { $_.payload }
            # At least once: the envelope in flight at the kill may have reached the sink and still come back to
            # the queue unacked, so a duplicate may arrive; read until every one is seen (or the deadline).
            $seen = [System.Collections.Generic.HashSet[int]]::new()
            foreach ($message in $first) { $null = $seen.Add([int]$message.Payload.n) }
            $deadline = (Get-Date).AddSeconds(30)
            while ($seen.Count -lt 10 -and (Get-Date) -lt $deadline) {
                Receive-AsyaMessage -Listener $sink -Count 1 -TimeoutSec 5 -ErrorAction SilentlyContinue |
                    ForEach-Object { $null = $seen.Add([int]$_.Payload.n) }
            }
            @($seen | Sort-Object) | Should -Be (1..10)
        } finally {
            Get-AsyaListener | Stop-AsyaListener
            Disconnect-AsyaMesh
        }
    }
}

Describe 'listener jobs on RabbitMQ' -Skip:([bool]$NoBroker) {
    BeforeAll { $script:Mesh = Connect-AsyaMesh -Uri $BrokerUrl -Namespace (New-Namespace) }
    AfterAll { Get-AsyaListener | Stop-AsyaListener; Disconnect-AsyaMesh }

    It 'lose nothing when stopped before their messages are read' {
        $job = Start-AsyaListener -Actor held
        1..20 | ForEach-Object { @{ n = $_ } | Send-AsyaMessage -Actor held }
        Start-Sleep -Milliseconds 500
        $job | Stop-AsyaListener
        $kept = @(Receive-Job $job)
        $backlog = (Test-AsyaMesh -Actor held | Where-Object Check -eq 'Backlog').Message
        $left = [int]($backlog -replace '^(\d+).*', '$1')
        ($kept.Count + $left) | Should -Be 20
    }

    It 'tap a running actor without taking its messages' {
        $sink = Start-AsyaListener -Actor tap-sink
        $null = Start-AsyaActor -Name tapped -SinkActor tap-sink -SumpActor tap-sink -Process { $_.payload }
        $tap = Start-AsyaListener -Actor tapped -Tap -Name tapped-copies
        1..5 | ForEach-Object { @{ n = $_ } | Send-AsyaMessage -Actor tapped }
        $copies = Receive-AsyaMessage -Listener $tap -Count 5 -TimeoutSec 20
        $processed = Receive-AsyaMessage -Listener $sink -Count 5 -TimeoutSec 20
        @($copies | ForEach-Object { $_.Payload.n } | Sort-Object) | Should -Be (1..5)
        @($processed | ForEach-Object { $_.Payload.n } | Sort-Object) | Should -Be (1..5)
        @($processed | ForEach-Object Phase | Sort-Object -Unique) | Should -Be 'succeeded'
    }

    It 'refuse to take a queue another consumer holds, with a stable error id' {
        $null = Start-AsyaListener -Actor busy
        { Start-AsyaListener -Actor busy -Name busy2 -ErrorAction Stop } | Should -Throw -ErrorId 'QueueHasConsumers,*'
    }
}

Describe 'errors and secrets on RabbitMQ' -Skip:([bool]$NoBroker) {
    It 'reports wrong credentials as AccessRefused without the password' {
        $bad = [pscredential]::new('asyatest', (ConvertTo-SecureString 'not-the-password-1234' -AsPlainText -Force))
        $err = { Connect-AsyaMesh -Uri $PlainUrl -Namespace x -Credential $bad -ErrorAction Stop } | Should -Throw -ErrorId 'AccessRefused,*' -PassThru
        ($err | Out-String) | Should -Not -Match 'not-the-password-1234'
        Get-AsyaMesh | Select-Object -ExpandProperty Source | Should -Not -Be 'Connect-AsyaMesh'
    }

    It 'reports an unreachable broker as BrokerUnreachable' {
        { Connect-AsyaMesh -Uri 'amqp://127.0.0.1:1/' -Namespace x -ErrorAction Stop } | Should -Throw -ErrorId 'BrokerUnreachable,*'
    }

    It 'reports an environment without a namespace as InvalidMeshConfiguration' {
        $output = Invoke-Child 'Import-Module $env:ASYASOCKET_MODULE; try { Send-AsyaMessage -Actor a -Payload 1 -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }' @{ ASYA_TRANSPORT = 'rabbitmq'; ASYA_RABBITMQ_URL = $BrokerUrl }
        ($output -join "`n") | Should -Match '^InvalidMeshConfiguration,'
    }

    It 'never shows the password in output, verbose, debug, errors, jobs or the connection' {
        $mesh = Connect-AsyaMesh -Uri $BrokerUrl -Namespace (New-Namespace) -Verbose 4>&1
        try {
            $job = Start-AsyaListener -Actor secret-check
            $all = @(
                $mesh | Out-String
                $mesh | Format-List * | Out-String
                Get-AsyaMesh | Format-List * | Out-String
                @{ n = 1 } | Send-AsyaMessage -Actor secret-check -PassThru -Verbose -Debug *>&1 | Out-String
                Get-Job | Format-List * | Out-String
                Test-AsyaMesh -Actor secret-check | Out-String
                try { Start-AsyaListener -Actor secret-check -Name dup -ErrorAction Stop } catch { $_ | Format-List * -Force | Out-String; $_.Exception | Format-List * -Force | Out-String }
            ) -join "`n"
            $all | Should -Not -Match ([regex]::Escape($Password))
            $all | Should -Match 'asyatest'
        } finally { Get-AsyaListener | Stop-AsyaListener; Disconnect-AsyaMesh }
    }
}
