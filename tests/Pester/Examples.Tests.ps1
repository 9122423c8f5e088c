# Every example in the help (docs/help/en-US) and every PowerShell snippet in the README runs as written,
# and so do the Compose example's scripts, against a temporary mesh. Two things stand in for a real
# deployment: an example that points ASYA_SOCKET_MESH_DIR at a container path (/mesh, /var/run/asya/mesh)
# gets the temporary mesh instead, and the actors an example talks to without starting them
# (validate-order, enrich) are mock actors doing what the Compose example's handlers do, sinking to
# ps-capture like its sidecars. An example on RabbitMQ (amqp://rabbitmq:5672/, $env:BROKER_URL,
# Get-Credential asya) gets the private test broker and its user instead, and is skipped without one.
BeforeDiscovery {
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    # The ```powershell blocks of a markdown file, each with the headings above it; only under
    # '## EXAMPLES' for help pages. README tour blocks keep only their 'PS> ' lines (the rest is output).
    function Get-MarkdownExample([string] $Path, [switch] $ExamplesOnly) {
        $file = Split-Path -Leaf $Path
        $section = ''; $heading = ''; $code = $null; $count = @{}
        foreach ($line in Get-Content $Path) {
            if ($null -ne $code) {
                if ($line -match '^```\s*$') {
                    $text = $code -join "`n"
                    if ($text -match '(?m)^PS> ') {
                        $text = (($code | Where-Object { $_ -match '^(PS|>)> ' }) -replace '^(PS|>)> ', '') -join "`n"
                    }
                    $name = if ($heading) { $heading } else { $section }
                    $count[$name] = 1 + $count[$name]
                    if (-not $ExamplesOnly -or $section -eq 'EXAMPLES') {
                        $suffix = if ($count[$name] -gt 1) { " ($($count[$name]))" } else { '' }
                        @{ Name = "${file}: $name$suffix"; Code = $text; Compose = $false }
                    }
                    $code = $null
                } else { $code += $line }
            } elseif ($line -match '^```powershell\s*$') { $code = @() }
            elseif ($line -match '^## (.+)$') { $section = $Matches[1].Trim(); $heading = '' }
            elseif ($line -match '^### (.+)$') { $heading = $Matches[1].Trim() }
        }
    }

    $examples = @(
        Get-ChildItem (Join-Path $repo 'docs/help/en-US') -Filter *.md | ForEach-Object { Get-MarkdownExample $_.FullName -ExamplesOnly }
        Get-MarkdownExample (Join-Path $repo 'README.md') | Where-Object Name -ne 'README.md: Install'
        foreach ($script in 'flow.Tests.ps1', 'send-and-capture.ps1') {
            @{ Name = "examples/compose/$script"; Code = Get-Content -Raw (Join-Path $repo "examples/compose/$script"); Compose = $true }
        }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:PesterManifest = (Get-Module Pester).Path -replace '\.psm1$', '.psd1'
    $script:ModuleRoot = Split-Path (Split-Path (Split-Path $ModuleManifest))
    $script:SavedModulePath = $env:PSModulePath
    $env:PSModulePath = $ModuleRoot + [IO.Path]::PathSeparator + $env:PSModulePath

    # A RabbitMQ example talks to the test broker as its test user; null when there is none.
    function ConvertTo-BrokerExample([string] $Code) {
        if (-not $env:ASYA_TEST_RABBITMQ_URL) { return $null }
        $user, $password = ([uri]$env:ASYA_TEST_RABBITMQ_URL).UserInfo.Split(':')
        $plain = $env:ASYA_TEST_RABBITMQ_URL -replace '//[^@/]*@', '//'
        $credential = "([pscredential]::new('$user', (ConvertTo-SecureString '$password' -AsPlainText -Force)))"
        $Code -replace 'amqp://rabbitmq:5672/', $plain -replace '\$env:BROKER_URL', "'$plain'" -replace '\(Get-Credential asya\)', $credential -replace 'Get-Credential asya', $credential
    }

    function Invoke-Example([string] $Code, [bool] $Compose) {
        $mesh = New-TestMesh
        $work = New-TestMesh
        if ($Compose -or $Code -match 'docker-compose\.yml') {  # the tools container works in examples/compose
            Copy-Item (Join-Path $RepoRoot 'examples/compose/*') $work -Recurse
        }
        $code = $Code -replace '(\$env:ASYA_SOCKET_MESH_DIR\s*=\s*)''/[^'']*''', "`$1'$mesh'"
        $usesCompose = $Compose -or $code -match 'docker-compose\.yml'
        $standIn = @('validate-order', 'enrich' | Where-Object {
            ($usesCompose -or $code -match "(?<![\w-])$_(?![\w-])") -and $code -notmatch "Start-AsyaActor -(Actor|Name) $_\b" })
        $saved = @{}
        foreach ($name in 'ASYA_SOCKET_MESH_DIR', 'ASYA_ACTOR_SINK', 'ASYA_ACTOR_SUMP', 'ASYA_TRANSPORT', 'ASYA_NAMESPACE', 'ASYA_RABBITMQ_URL') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $shell = [powershell]::Create([initialsessionstate]::CreateDefault2())
        try {
            $null = $shell.AddCommand((Join-Path $PSScriptRoot 'ExampleHost.ps1')).AddParameters(@{
                Code = $code; Mesh = $mesh; WorkingDirectory = $work; StandIn = $standIn
                PesterManifest = $PesterManifest; IsPesterFile = ($code -match '(?m)^\s*(Describe|BeforeAll)\b')
            })
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $running = $shell.BeginInvoke()
            $finished = $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(90))
            if (-not $finished) { $shell.Stop() }
            $output = try { $shell.EndInvoke($running) | Out-String } catch { "Threw: $($_.Exception.InnerException.Message ?? $_.Exception.Message)" }
            $errors = @($shell.Streams.Error | ForEach-Object { "$_" })
            [pscustomobject]@{ Finished = $finished; Seconds = $clock.Elapsed.TotalSeconds; Output = $output; Errors = $errors; StandIn = $standIn }
        } finally {
            $shell.Dispose()
            # Connect-AsyaMesh chooses the mesh for the whole process: the next example starts from none.
            Disconnect-AsyaMesh -Confirm:$false
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Remove-TestMesh $mesh
            Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

AfterAll { $env:PSModulePath = $SavedModulePath }

Describe 'Documentation examples' {
    It '<Name> runs as written' -ForEach $examples {
        $code = $Code
        if ($code -match 'amqp://rabbitmq|\$env:BROKER_URL|Get-Credential asya') {
            $code = ConvertTo-BrokerExample $code
            if ($null -eq $code -and $env:CI -ne 'true') { Set-ItResult -Skipped -Because 'it needs the RabbitMQ test broker (ASYA_TEST_RABBITMQ_URL)'; return }
            if ($null -eq $code) { throw 'This example needs the RabbitMQ test broker, and CI=true requires one (ASYA_TEST_RABBITMQ_URL).' }
        }
        $run = Invoke-Example $code $Compose
        $report = "stand-ins: $($run.StandIn -join ', '); $([int]$run.Seconds) s`n$($run.Output)`n$($run.Errors -join "`n")"
        $run.Finished | Should -BeTrue -Because "it must finish on its own ($report)"
        $run.Output | Should -Not -Match '^Threw: ' -Because $report
        $run.Errors | Should -BeNullOrEmpty -Because $report
    }
}

Describe 'The Compose example' {
    It 'runs Invoke-Pester -CI where the test results can be written (not the read-only /scripts mount)' {
        $compose = Get-Content -Raw (Join-Path $RepoRoot 'examples/compose/docker-compose.yml')
        $tools = $compose.Substring($compose.IndexOf("`n  tools:"))
        $readOnly = [regex]::Matches($tools, '(?m)^\s*-\s*[^:\s]+:(?<target>/[^:\s]*):ro\s*$') | ForEach-Object { $_.Groups['target'].Value }
        $workingDir = [regex]::Match($tools, '(?m)^\s*working_dir:\s*(\S+)').Groups[1].Value
        $commands = @($compose, (Get-Content -Raw (Join-Path $RepoRoot 'examples/compose/flow.Tests.ps1'))) |
            ForEach-Object { [regex]::Matches($_, '(?m)docker compose run .*Invoke-Pester.*-CI.*$').Value }
        $commands | Should -Not -BeNullOrEmpty
        foreach ($command in $commands) {
            $directory = if ($command -match '(--workdir|-w)[ =](\S+)') { $Matches[2] } else { $workingDir }
            foreach ($target in $readOnly) {
                $directory.TrimEnd('/') + '/' | Should -Not -BeLike "$($target.TrimEnd('/'))/*" -Because "'$command' writes testResults.xml to $directory, which is mounted read-only"
            }
        }
    }
}
