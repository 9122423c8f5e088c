BeforeDiscovery {
    # Root passes every permission check (access(2) ignores the mode bits for it).
    $isRoot = (id -u) -eq '0'
    $hasSetpriv = [bool](Get-Command setpriv -ErrorAction SilentlyContinue)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Test-AsyaMesh' {
    BeforeEach {
        $mesh = New-TestMesh
        $live = Start-AsyaListener -Actor live -MeshPath $mesh
        $stale = New-StaleSocket (Join-Path $mesh 'stale.sock')
        Set-Content (Join-Path $mesh 'plain.sock') 'not a socket'
    }
    AfterEach {
        $stale.Dispose()
        Remove-TestMesh $mesh
    }

    It 'checks every *.sock passively: live and stale sockets pass, a regular file fails' {
        $checks = Test-AsyaMesh -MeshPath $mesh
        ($checks | Where-Object Check -eq 'MeshDirectory').Status | Should -Be 'Pass'
        ($checks | Where-Object { $_.Actor -eq 'live' -and $_.Check -eq 'IsSocket' }).Status | Should -Be 'Pass'
        ($checks | Where-Object { $_.Actor -eq 'stale' -and $_.Check -eq 'IsSocket' }).Status | Should -Be 'Pass'
        ($checks | Where-Object { $_.Actor -eq 'plain' -and $_.Check -eq 'IsSocket' }).Status | Should -Be 'Fail'
        ($checks | Where-Object Actor -eq 'live' | Where-Object Check -eq 'Permission').Status | Should -Be 'Pass'
        $checks | Where-Object Check -eq 'Probe' | Should -BeNullOrEmpty
        # Passive: the live listener saw no connection at all.
        $live.Rejected | Should -Be 0
    }

    It 'tells stale from live only with -Probe' {
        $checks = Test-AsyaMesh -MeshPath $mesh -Actor live, stale -Probe
        ($checks | Where-Object { $_.Actor -eq 'live' -and $_.Check -eq 'Probe' }).Status | Should -Be 'Pass'
        ($checks | Where-Object { $_.Actor -eq 'stale' -and $_.Check -eq 'Probe' }).Status | Should -Be 'Fail'
        ($checks | Where-Object { $_.Actor -eq 'stale' -and $_.Check -eq 'Probe' }).Message | Should -Match 'Stale'
        # The probe is a connection the listener counts and never acks.
        $deadline = (Get-Date).AddSeconds(5)
        while ($live.Rejected -lt 1 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $live.Rejected | Should -Be 1
    }

    It 'fails an actor whose socket is missing' {
        $checks = Test-AsyaMesh -MeshPath $mesh -Actor absent
        ($checks | Where-Object Actor -eq 'absent').Check | Should -Be 'SocketExists'
        ($checks | Where-Object Actor -eq 'absent').Status | Should -Be 'Fail'
        ($checks | Where-Object Actor -eq 'absent').Message | Should -Match 'not running'
    }

    It 'fails a socket this user cannot write' {
        chmod 000 (Join-Path $mesh 'stale.sock')
        if ((id -u) -eq '0') {
            # Root may write anything, so the same check runs as 'nobody', for whom mode 000 is final too.
            $script = "Import-Module '$ModuleManifest'; " +
                "Test-AsyaMesh -MeshPath '$mesh' -Actor stale | Where-Object Check -eq 'Permission' | ForEach-Object { `$_.Status; `$_.Message }"
            $output = setpriv --reuid=65534 --regid=65534 --clear-groups env @(Get-AnyUserEnvironment) (Get-PwshForAnyUser) -NoProfile -NonInteractive -Command $script
            $status, $message = $output
        } else {
            $check = Test-AsyaMesh -MeshPath $mesh -Actor stale | Where-Object Check -eq 'Permission'
            $status, $message = $check.Status, $check.Message
        }
        $status | Should -Be 'Fail'
        $message | Should -Match 'cannot connect'
    }

    It 'fails, for another user, a socket owned by root with mode 0755; and sending fails with PermissionDenied' -Skip:(-not ($isRoot -and $hasSetpriv)) {
        # Root passes every permission check, so the check runs in a pwsh as 'nobody' against root's live socket.
        $script = "Import-Module '$ModuleManifest'; " +
            "(Test-AsyaMesh -MeshPath '$mesh' -Actor live | Where-Object Check -eq 'Permission').Status; " +
            "Send-AsyaMessage -Actor live -MeshPath '$mesh' -Payload 1 -ErrorVariable e -ErrorAction SilentlyContinue; `$e[0].FullyQualifiedErrorId"
        $output = setpriv --reuid=65534 --regid=65534 --clear-groups env @(Get-AnyUserEnvironment) (Get-PwshForAnyUser) -NoProfile -NonInteractive -Command $script
        $output[0] | Should -Be 'Fail'
        $output[1] | Should -BeLike 'PermissionDenied,*'
        $live.Received | Should -Be 0
    }

    It 'fails a missing mesh directory and says how to fix it' {
        $checks = Test-AsyaMesh -MeshPath (Join-Path $mesh 'missing')
        @($checks).Count | Should -Be 1
        $checks.Status | Should -Be 'Fail'
        $checks.Message | Should -Match 'ASYA_SOCKET_MESH_DIR'
    }

    It 'returns one boolean with -Quiet' {
        Test-AsyaMesh -MeshPath $mesh -Actor live -Quiet | Should -BeTrue
        Test-AsyaMesh -MeshPath $mesh -Quiet | Should -BeFalse
        Test-AsyaMesh -MeshPath (Join-Path $mesh 'missing') -Quiet | Should -BeFalse
    }
}

Describe 'Test-AsyaMesh -ComposeFile' {
    BeforeEach {
        $mesh = New-TestMesh
        $null = Start-AsyaListener -Actor orders -MeshPath $mesh
        $compose = Join-Path $mesh 'compose.yml'
        @'
x-sidecar: &sidecar
  image: asya-sidecar
  user: "1000:1000"
services:
  orders:
    <<: *sidecar
    environment:
      ASYA_TRANSPORT: socket
      ASYA_ACTOR_NAME: orders
  billing:
    <<: *sidecar
    user: "2000:2000"
    environment:
      - ASYA_TRANSPORT=rabbitmq
      - ASYA_ACTOR_NAME=billing
  database:
    image: postgres
'@ | Set-Content $compose
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'checks every sidecar the compose file declares, by ASYA_ACTOR_NAME' {
        $checks = Test-AsyaMesh -MeshPath $mesh -ComposeFile $compose
        ($checks | Where-Object Check -eq 'ComposeFile').Message | Should -Match 'orders, billing'
        ($checks | Where-Object { $_.Actor -eq 'orders' -and $_.Check -eq 'IsSocket' }).Status | Should -Be 'Pass'
        ($checks | Where-Object { $_.Actor -eq 'billing' -and $_.Check -eq 'SocketExists' }).Status | Should -Be 'Fail'
        ($checks | Where-Object { $_.Actor -eq 'billing' -and $_.Check -eq 'Transport' }).Status | Should -Be 'Warn'
        ($checks | Where-Object Check -eq 'SameUser').Message | Should -Match '1000:1000, 2000:2000'
        $checks | Where-Object Actor -eq 'database' | Should -BeNullOrEmpty
    }

    It 'fails a file that is not YAML, naming the problem' {
        Set-Content $compose 'services: [unclosed'
        $check = Test-AsyaMesh -MeshPath $mesh -ComposeFile $compose | Where-Object Check -eq 'ComposeFile'
        $check.Status | Should -Be 'Fail'
        $check.Message | Should -Match 'not valid YAML'
    }

    It 'loads YamlDotNet only in the module''s private load context' {
        $null = Test-AsyaMesh -MeshPath $mesh -ComposeFile $compose
        $yaml = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object { $_.Assemblies.GetName().Name -contains 'YamlDotNet' }
        @($yaml.Name) | Should -Be @('AsyaSocket.Dependencies')
    }
}
