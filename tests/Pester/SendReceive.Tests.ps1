BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Send-AsyaMessage and Receive-AsyaMessage' {
    BeforeEach {
        $mesh = New-TestMesh
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
    }
    AfterEach { Remove-TestMesh $mesh }

    It 'delivers a nested payload that comes back as PowerShell objects, deeper than ConvertTo-Json keeps' {
        $payload = @{ order = [ordered]@{ id = 'A-1001'; amount = 42.5; lines = @(@{ sku = 'x'; tags = @('a', 'b'); more = @{ deeper = @{ deepest = 7 } } }) } }
        $delivery = Send-AsyaMessage -Actor capture -MeshPath $mesh -Payload $payload -Id 'order-1' -Header @{ traceparent = 'tp' } -PassThru
        $delivery.Actor | Should -Be 'capture'
        $delivery.Id | Should -Be 'order-1'
        $delivery.Attempts | Should -Be 1

        $message = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $message.Id | Should -Be 'order-1'
        $message.Payload.order.id | Should -Be 'A-1001'
        $message.Payload.order.amount | Should -Be 42.5
        $message.Payload.order.lines[0].tags | Should -Be @('a', 'b')
        $message.Payload.order.lines[0].more.deeper.deepest | Should -Be 7
        $message.Envelope.Route.Curr | Should -Be 'capture'
        $message.Envelope.Headers['traceparent'].GetString() | Should -Be 'tp'
        $message.Length | Should -Be ([Text.Encoding]::UTF8.GetByteCount($message.Text))
    }

    It 'sends a payload nested 100 levels deep whole, and receives an actor''s envelope nested 999 deep' {
        # System.Text.Json reads 64 levels by default; a deeper payload must not become an invalid envelope.
        $payload = 'bottom'
        foreach ($level in 1..100) { $payload = @{ inner = $payload } }
        Send-AsyaMessage -Actor capture -MeshPath $mesh -Payload $payload
        $deep = '{"id":"deep","parent_id":null,"route":{"prev":[],"curr":"capture","next":[]},"headers":{},"payload":' + ('[' * 999) + '7' + (']' * 999) + '}'
        Send-AsyaMessage -Actor capture -MeshPath $mesh -Text $deep

        $first, $second = Receive-AsyaMessage -Listener $capture -Count 2 -TimeoutSec 10
        $value = $first.Payload
        foreach ($level in 1..100) { $value = $value.inner }
        $value | Should -Be 'bottom'
        $second.Id | Should -Be 'deep'
        $second.Text | Should -BeExactly $deep
        $value = $second.Payload
        $levels = 0
        while ($value -is [array]) { $value = $value[0]; $levels++ }
        $levels | Should -Be 999
        $value | Should -Be 7
    }

    It 'sends an object shaped like an envelope with a payload nested 90 levels deep' {
        $payload = 'bottom'
        foreach ($level in 1..90) { $payload = [pscustomobject]@{ inner = $payload } }
        $shaped = [pscustomobject]@{ id = 'shaped'; route = [pscustomobject]@{ prev = @(); curr = 'capture'; next = @() }; headers = @{}; payload = $payload }
        Send-AsyaMessage -MeshPath $mesh -Envelope $shaped
        $message = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $message.Id | Should -Be 'shaped'
        $value = $message.Payload
        foreach ($level in 1..90) { $value = $value.inner }
        $value | Should -Be 'bottom'
    }

    It 'writes a payload''s envelope byte for byte as the envelope model writes it' {
        # Send-AsyaMessage writes a new envelope in one pass; the model (AsyaEnvelope.Create, then ToUtf8Bytes) is the oracle.
        $payloads = @(
            @{ order_id = 'A-1001'; amount = 42.5; lines = @(@{ sku = 'x'; tags = @('a', 'b') }, $null, $false) },
            [ordered]@{ text = "quote `" backslash \ line`nbreak tab`t <b>&'+ ünïcødé ✓ 😀"; n = -12; big = 9007199254740993 },
            [pscustomobject]@{ name = 'custom'; nested = [pscustomobject]@{ deeper = @(1, 2.25, 'three') } },
            'just text', 7, $true, @()
        )
        foreach ($payload in $payloads) {
            Send-AsyaMessage -Route capture, enrich -MeshPath $mesh -Payload $payload -Id 'same' -ParentId 'parent' -Header @{ traceparent = 'tp' }
            $message = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
            $json = ConvertTo-Json -InputObject $payload -Depth 10 -Compress
            $headers = [Collections.Generic.Dictionary[string, Text.Json.JsonElement]]::new()
            $headers['traceparent'] = [Text.Json.JsonDocument]::Parse('"tp"').RootElement
            $model = [AsyaSocket.Core.Envelopes.AsyaEnvelope]::Create([string[]]@('capture', 'enrich'), [Text.Json.JsonDocument]::Parse($json).RootElement, 'same', 'parent', $headers)
            $message.Text | Should -BeExactly ([Text.Encoding]::UTF8.GetString($model.ToUtf8Bytes())) -Because "the payload was $json"
        }
    }

    It 'sends a route: the first actor is route.curr, the rest route.next' {
        Send-AsyaMessage -Route capture, enrich, store -MeshPath $mesh -Payload 1
        $message = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $message.Envelope.Route.Curr | Should -Be 'capture'
        @($message.Envelope.Route.Next) | Should -Be @('enrich', 'store')
        $message.Payload | Should -Be 1
    }

    It 'sends piped payloads one by one, in order' {
        1..20 | ForEach-Object { [pscustomobject]@{ n = $_ } } | Send-AsyaMessage -Actor capture -MeshPath $mesh
        $messages = Receive-AsyaMessage -Listener $capture -Count 20 -TimeoutSec 10
        $messages.Payload.n | Should -Be (1..20)
    }

    It 'sends raw text and bytes byte for byte' {
        Send-AsyaMessage -Actor capture -MeshPath $mesh -Text 'not json'
        Send-AsyaMessage -Actor capture -MeshPath $mesh -Body ([byte[]](0, 1, 2, 255))
        $text, $bytes = Receive-AsyaMessage -Listener $capture -Count 2 -TimeoutSec 10
        $text.Text | Should -Be 'not json'
        $text.Envelope | Should -BeNullOrEmpty
        $bytes.Body | Should -Be ([byte[]](0, 1, 2, 255))
    }

    It 'sends an envelope from New-AsyaEnvelope to its route.curr' {
        $envelope = New-AsyaEnvelope -Route capture, next -Payload @{ a = 1 } -Id 'env-1'
        $envelope.ToJson() | Should -Match '"id":"env-1"'
        Send-AsyaMessage -Envelope $envelope -MeshPath $mesh
        (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Id | Should -Be 'env-1'
    }

    It 'sends envelope JSON text as is' {
        $json = '{"id":"j-1","parent_id":null,"route":{"prev":[],"curr":"capture","next":[]},"headers":{},"payload":{"x":1},"custom_field":{"kept":true}}'
        Send-AsyaMessage -Envelope $json -MeshPath $mesh
        $message = Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10
        $message.Text | Should -Match '"custom_field":\{"kept":true\}'
    }

    It 'replays received messages: Receive-AsyaMessage | Send-AsyaMessage -Actor replay' {
        $replay = Start-AsyaListener -Actor replay -MeshPath $mesh
        1..3 | ForEach-Object { @{ n = $_ } } | Send-AsyaMessage -Actor capture -MeshPath $mesh
        $received = Receive-AsyaMessage -Listener $capture -Count 3 -TimeoutSec 10
        $received | Send-AsyaMessage -Actor replay
        $replayed = Receive-AsyaMessage -Listener $replay -Count 3 -TimeoutSec 10
        $replayed.Text | Should -Be $received.Text
        $replayed.Actor | Should -Be @('replay', 'replay', 'replay')
    }

    It 'receives in the foreground and stops at -Count, acking nothing more' {
        $actor = 'fg'
        $senders = 1..5 | ForEach-Object -AsJob -ThrottleLimit 5 -Parallel {
            Import-Module $using:ModuleManifest
            Send-AsyaMessage -Actor $using:actor -MeshPath $using:mesh -Payload $_ -RetryCount 40 -RetryIntervalMs 50 -TimeoutSec 3 -ErrorAction SilentlyContinue -ErrorVariable failed
            [pscustomobject]@{ n = $_; delivered = -not $failed }
        }
        $got = Receive-AsyaMessage -Actor $actor -MeshPath $mesh -Count 2 -TimeoutSec 15
        $results = $senders | Wait-Job -Timeout 30 | Receive-Job
        @($got).Count | Should -Be 2
        # Exactly the messages emitted were acknowledged; the others were never acked.
        @($results | Where-Object delivered).Count | Should -Be 2
        ($results | Where-Object delivered).n | Sort-Object | Should -Be (@($got.Payload) | Sort-Object)
        Test-Path (Join-Path $mesh "$actor.sock") | Should -BeFalse
    }

    It 'times out with ReceiveTimeout when -Count is not reached' {
        $started = Get-Date
        $got = Receive-AsyaMessage -Actor quiet -MeshPath $mesh -Count 1 -TimeoutSec 0.5 -ErrorVariable failure -ErrorAction SilentlyContinue
        $got | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ReceiveTimeout,*'
        $failure[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        ((Get-Date) - $started).TotalSeconds | Should -BeLessThan 5
    }
}

Describe 'Send-AsyaMessage errors' {
    BeforeEach { $mesh = New-TestMesh }
    AfterEach { Remove-TestMesh $mesh }

    It 'reports a missing actor as SocketNotFound after the retries, and goes on with the next input' {
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        # Each envelope goes to its own route.curr (a piped object's actor field would not choose the actor).
        'missing', 'capture' | ForEach-Object { New-AsyaEnvelope -Actor $_ -Payload $_ } |
            Send-AsyaMessage -MeshPath $mesh -RetryCount 3 -RetryIntervalMs 10 -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SocketNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].Exception.Attempts | Should -Be 3
        $failures[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Actor | Should -Be 'capture'
    }

    It 'reports a stale socket as ConnectionRefused' {
        $stale = New-StaleSocket (Join-Path $mesh 'stale.sock')
        try {
            Send-AsyaMessage -Actor stale -MeshPath $mesh -Payload 1 -RetryCount 2 -RetryIntervalMs 10 -ErrorVariable failure -ErrorAction SilentlyContinue
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused,*'
            $failure[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        } finally { $stale.Dispose() }
    }

    It 'reports a payload over 100 MiB as FrameTooLarge without connecting' {
        Send-AsyaMessage -Actor nobody -MeshPath $mesh -Body ([byte[]]::new(100MB + 1)) -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'FrameTooLarge,*'
        $failure[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'reports a missing mesh directory as MeshDirectoryNotFound with the fix' {
        Send-AsyaMessage -Actor a -MeshPath (Join-Path $mesh 'nope') -Payload 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'MeshDirectoryNotFound,*'
        $failure[0].ErrorDetails.RecommendedAction | Should -Match 'ASYA_SOCKET_MESH_DIR'
    }

    It 'asks for an actor when there is none' {
        Send-AsyaMessage -MeshPath $mesh -Payload 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessage,*'
        $failure[0].Exception.Message | Should -Match '-Actor'
    }

    It 'sends nothing under -WhatIf' {
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        Send-AsyaMessage -Actor capture -MeshPath $mesh -Payload 1 -WhatIf
        Start-Sleep -Milliseconds 200
        $capture.Received | Should -Be 0
    }

    It 'uses ASYA_SOCKET_MESH_DIR when -MeshPath is not given' {
        $capture = Start-AsyaListener -Actor capture -MeshPath $mesh
        $saved = $env:ASYA_SOCKET_MESH_DIR
        try {
            $env:ASYA_SOCKET_MESH_DIR = $mesh
            Send-AsyaMessage -Actor capture -Payload 'via env'
        } finally { $env:ASYA_SOCKET_MESH_DIR = $saved }
        (Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 10).Payload | Should -Be 'via env'
    }
}
