# Issue 11, point 5: the errors an independent attacker found vague, each over a real mesh directory.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # A mesh directory whose path is $Length bytes long (under the temp directory), created for real.
    function New-LongMesh([int] $Length) {
        $base = New-TestMesh
        $path = $base
        while ($path.Length -lt $Length) {
            $part = 'd' * [Math]::Min(60, $Length - $path.Length - 1)
            $path = Join-Path $path $part
        }
        New-Item -ItemType Directory -Path $path -Force | Out-Null
        [pscustomobject]@{ Base = $base; Path = $path }
    }
}

Describe 'Test-AsyaMesh reports the socket path length its help promises' {
    BeforeEach { $long = New-LongMesh 144 }
    AfterEach { Remove-TestMesh $long.Base }

    It 'fails PathLength for a 144-byte mesh directory, with no actor named' {
        $long.Path.Length | Should -Be 144
        $check = Test-AsyaMesh -MeshPath $long.Path | Where-Object Check -eq 'PathLength'
        $check.Status | Should -Be 'Fail'
        $check.Actor | Should -BeNullOrEmpty
        $check.Message | Should -Match '144 bytes'
        $check.Message | Should -Match '107|103'
    }

    It 'fails PathLength for a named actor there, before saying its socket is missing' {
        $checks = @(Test-AsyaMesh -MeshPath $long.Path -Actor orders | Where-Object Actor -eq 'orders')
        $checks[0].Check | Should -Be 'PathLength'
        $checks[0].Status | Should -Be 'Fail'
        $checks[0].Message | Should -Match '\d+ bytes'
        $checks.Check | Should -Contain 'SocketExists'
    }

    It 'says nothing of the length for a short mesh directory' {
        $mesh = New-TestMesh
        try {
            Test-AsyaMesh -MeshPath $mesh -Actor orders | Where-Object Check -eq 'PathLength' | Should -BeNullOrEmpty
        } finally { Remove-TestMesh $mesh }
    }
}

Describe 'An actor name containing NUL gets the stable InvalidActorName error' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It '<Command> reports InvalidActorName, not an exception type name' -ForEach @(
        @{ Command = 'Send-AsyaMessage'; Run = { param($m) Send-AsyaMessage -Actor "a`0b" -MeshPath $m -Payload 1 -RetryCount 1 -ErrorAction Stop } }
        @{ Command = 'Receive-AsyaMessage'; Run = { param($m) Receive-AsyaMessage -Actor "a`0b" -MeshPath $m -TimeoutSec 1 -ErrorAction Stop } }
        @{ Command = 'Start-AsyaListener'; Run = { param($m) Start-AsyaListener -Actor "a`0b" -MeshPath $m -ErrorAction Stop } }
        @{ Command = 'Start-AsyaActor'; Run = { param($m) Start-AsyaActor -Name "a`0b" -MeshPath $m -Process { $_ } -ErrorAction Stop } }
        @{ Command = 'Test-AsyaMesh'; Run = { param($m) Test-AsyaMesh -MeshPath $m -Actor "a`0b" -ErrorAction Stop } }
    ) {
        $caught = $null
        try { & $Run $mesh } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'InvalidActorName,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match 'NUL'
    }

    It 'is a per-item error for Send-AsyaMessage: every piped payload gets its own' {
        1, 2 | Send-AsyaMessage -Actor "a`0b" -MeshPath $mesh -RetryCount 1 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 2
        $failures.FullyQualifiedErrorId | Should -BeLike 'InvalidActorName,*'
    }
}

Describe 'A send to a dangling symbolic link says what it is' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'names the link and its missing target, with SocketNotFound' {
        $target = Join-Path $mesh 'gone.sock'
        New-Item -ItemType SymbolicLink -Path (Join-Path $mesh 'linked.sock') -Target $target | Out-Null
        Send-AsyaMessage -Actor linked -MeshPath $mesh -Payload 1 -RetryCount 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'SocketNotFound,*'
        $failure[0].Exception.Message | Should -Match 'symbolic link'
        $failure[0].Exception.Message | Should -Match ([regex]::Escape($target))
        $failure[0].Exception.Message | Should -Not -Match 'Cannot assign requested address'
    }
}

Describe 'Attempts are counted in good English' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'says "after 1 attempt" and "after 2 attempts"' {
        Send-AsyaMessage -Actor missing -MeshPath $mesh -Payload 1 -RetryCount 1 -ErrorVariable one -ErrorAction SilentlyContinue
        $one[0].Exception.Message | Should -Match 'after 1 attempt:'
        Send-AsyaMessage -Actor missing -MeshPath $mesh -Payload 1 -RetryCount 2 -RetryIntervalMs 10 -ErrorVariable two -ErrorAction SilentlyContinue
        $two[0].Exception.Message | Should -Match 'after 2 attempts:'
    }
}

Describe 'A frame refused as too large is visible to the user of Receive-AsyaMessage' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'warns with the cap while listening in the foreground' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module, $mesh) Import-Module $module; Receive-AsyaMessage -Actor big -MeshPath $mesh -TimeoutSec 4 -WarningAction Continue').
            AddArgument($ModuleManifest).AddArgument($mesh)
        $handle = $ps.BeginInvoke()
        try {
            $deadline = (Get-Date).AddSeconds(15)
            while (-not (Test-Path (Join-Path $mesh 'big.sock'))) {
                if ((Get-Date) -gt $deadline) { throw 'the receiver did not listen' }
                Start-Sleep -Milliseconds 20
            }
            # A header announcing 200 MiB, over the 100 MiB cap: the listener closes without an ack.
            $socket = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
            $socket.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new((Join-Path $mesh 'big.sock')))
            $header = [byte[]](0x0C, 0x80, 0x00, 0x00)
            $null = $socket.Send($header)
            $buffer = [byte[]]::new(1)
            $socket.Receive($buffer) | Should -Be 0 -Because 'a refused frame gets no ack'
            $socket.Dispose()
            $handle.AsyncWaitHandle.WaitOne(15000) | Should -BeTrue
            $null = $ps.EndInvoke($handle)
            $warnings = @($ps.Streams.Warning)
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'larger than the 100 MiB cap'
            "$($warnings[0])" | Should -Match 'announced 209,715,200 bytes'
        } finally { $ps.Dispose() }
    }
}
