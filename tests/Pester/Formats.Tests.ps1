BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # What a person sees at 80 columns, with runs of blanks (a cell's continuation lines) made one space.
    function Show([Parameter(ValueFromPipeline)] $InputObject, [switch] $List) {
        begin { $items = [Collections.Generic.List[object]]::new() }
        process { $items.Add($InputObject) }
        end {
            $text = if ($List) { $items | Format-List | Out-String -Width 80 } else { $items | Out-String -Width 80 }
            $lines = $text -split "`r?`n"
            $lines | Where-Object { $_.TrimEnd().Length -gt 80 } | Should -BeNullOrEmpty -Because 'every line fits 80 columns'
            $text | Should -Not -Match '…' -Because 'no column is cut'
            [pscustomobject]@{ Text = $text; Flat = ($text -replace '\s+', ' '); Lines = $lines }
        }
    }
}

Describe 'Default views at 80 columns' {
    BeforeAll {
        $mesh = New-TestMesh
        $script:error = 'amount must be positive, and this is a long error message'
        $script:validate = Start-AsyaActor -Name validate-order -MeshPath $mesh -SinkActor ps-capture -SumpActor ps-capture -Process ([scriptblock]::Create("throw '$error'"))
        $script:enrich = Start-AsyaActor -Name enrich -MeshPath $mesh -SinkActor ps-capture -SumpActor ps-capture -Process { $_.payload }
        $script:capture = Start-AsyaListener -Actor ps-capture -MeshPath $mesh
        $script:delivery = @{ order_id = 'A-1'; amount = 1 } | Send-AsyaMessage -Route enrich, validate-order -MeshPath $mesh -PassThru
        $script:messages = @(Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 20)
        $script:results = @()
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ($results.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) {
            $script:results += @(Receive-Job $validate) + @(Receive-Job $enrich)
            Start-Sleep -Milliseconds 50
        }
    }
    AfterAll { Remove-TestMesh $mesh }

    It 'shows a received message''s whole route and reason' {
        $shown = $messages | Show
        $shown.Flat | Should -Match ([regex]::Escape('enrich > [validate-order]'))
        $shown.Flat | Should -Match 'RuntimeError'
        $shown.Flat | Should -Match $messages[0].Id
    }

    It 'shows the JSON once in Format-List of a message, and no raw types' {
        $shown = $messages | Show -List
        ([regex]::Matches($shown.Text, '"parent_id"')).Count | Should -Be 1
        $shown.Text | Should -Not -Match 'System\.|AsyaSocket\.Core\.'
        $shown.Flat | Should -Match 'Phase : failed'
    }

    It 'shows an actor''s error whole, under a header on one line' {
        $failed = @($results | Where-Object Outcome -eq 'Failed')
        $failed | Should -Not -BeNullOrEmpty
        $shown = $failed | Show
        $shown.Flat | Should -Match ([regex]::Escape($error))
        $shown.Lines | Where-Object { $_ -match '^Id\s' } | Should -Match 'Error$'
    }

    It 'shows a delivery whole' {
        ($delivery | Show).Flat | Should -Match "enrich $($delivery.Id) \d+ 1 [\d.]+"
    }

    It 'shows a flow''s duration and whole path' {
        $null = Start-AsyaActor -Name relay-order-events -MeshPath $mesh -SinkActor flow-capture-sink -Process { $_.payload }
        $flow = Invoke-AsyaFlow -Route relay-order-events -Payload @{ a = 1 } -MeshPath $mesh -SinkActor flow-capture-sink -SumpActor flow-capture-sump
        $shown = $flow | Show
        $shown.Text | Should -Match 'DurationMs'
        $shown.Flat | Should -Match ([regex]::Escape('relay-order-events > (flow-capture-sink)'))
        $list = $flow | Show -List
        ([regex]::Matches($list.Text, '"parent_id"')).Count | Should -Be 1
        $list.Text | Should -Not -Match 'AsyaFlowHop|System\.'
    }

    It 'shows a listener job''s counters without .NET type names' {
        $shown = $capture | Show -List
        $shown.Flat | Should -Match 'Counters : ps-capture: Received = \d+, Acked = \d+'
        $shown.Text | Should -Not -Match 'System\.|Dictionary|ManualResetEvent'
        ($capture | Format-List * | Out-String) | Should -Not -Match 'Dictionary'
    }
}

Describe 'ToString of every output type' {
    BeforeAll {
        $mesh = New-TestMesh
        $script:actor = Start-AsyaActor -Name echo -MeshPath $mesh -Process { $_.payload }
        $script:listener = Start-AsyaListener -Actor x-sink -MeshPath $mesh
        $script:delivery = @{ a = 1 } | Send-AsyaMessage -Actor echo -MeshPath $mesh -PassThru
        $script:message = Receive-AsyaMessage -Listener $listener -Count 1 -TimeoutSec 20
        # The actor writes its result once its forward is acknowledged, which may be just after the sink has it.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        # Start-Sleep returns nothing, so it cannot sit in the condition: wait in the body until a result or the deadline.
        while (-not ($script:result = Receive-Job $actor) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $listener | Stop-AsyaListener
        $script:flow = Invoke-AsyaFlow -Route echo -Payload @{ b = 2 } -MeshPath $mesh
        $script:check = Test-AsyaMesh -MeshPath $mesh -Actor echo | Select-Object -Last 1
    }
    AfterAll { Remove-TestMesh $mesh }

    It 'says what a <Name> is, not its type name' -ForEach @(
        @{ Name = 'delivery'; Expected = '^\S+ to echo: \d+ bytes, 1 attempt\(s\), [\d.]+ ms$' }
        @{ Name = 'actor result'; Expected = '^echo \S+: Succeeded -> x-sink$' }
        @{ Name = 'flow result'; Expected = '^\S+: succeeded/Completed at x-sink via echo in [\d.]+ ms$' }
        @{ Name = 'mesh check'; Expected = '^Pass Permission echo: This user' }
        @{ Name = 'actor job'; Expected = '^echo \(Running, \d+ received\) at .+echo\.sock$' }
        @{ Name = 'listener job'; Expected = '^x-sink \(Stopped, 1 received\) at .+x-sink\.sock$' }
        @{ Name = 'message'; Expected = '^\{"id":' }
    ) {
        $value = @{ 'delivery' = $delivery; 'actor result' = $result; 'flow result' = $flow; 'mesh check' = $check
            'actor job' = $actor; 'listener job' = $listener; 'message' = $message }[$Name]
        $value | Should -Not -BeNullOrEmpty
        "$value" | Should -Match $Expected
    }
}
