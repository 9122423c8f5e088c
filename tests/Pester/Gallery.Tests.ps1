BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $cmdletNames = @(Get-Command -Module AsyaSocket -CommandType Cmdlet).Name
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Manifest = Test-ModuleManifest $ModuleManifest
}

# What the PowerShell Gallery (and a user's Get-Help -Online) expects of a published module.
Describe 'Gallery metadata' {
    It 'ships an MIT LICENSE, beside the module too, that the build and the manifest agree on' {
        $license = Join-Path $RepoRoot 'LICENSE'
        $license | Should -Exist
        Get-Content $license -TotalCount 1 | Should -Be 'MIT License'
        Join-Path (Split-Path $ModuleManifest) 'LICENSE' | Should -Exist
        [xml] $props = Get-Content (Join-Path $RepoRoot 'Directory.Build.props') -Raw
        $props.Project.PropertyGroup.PackageLicenseExpression | Where-Object { $_ } | Should -Be 'MIT'
        $Manifest.LicenseUri | Should -Match '^https://.+/LICENSE$'
    }

    It 'names the project and says what the release brings' {
        $Manifest.ProjectUri | Should -Match '^https://'
        $notes = $Manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Match ([regex]::Escape("$($Manifest.Version)"))
        $notes | Should -Not -Match 'See README' -Because 'a gallery page shows the notes themselves'
    }

    It '<Name> has a HelpUri, the same as its help''s online link' -ForEach @($cmdletNames | ForEach-Object { @{ Name = $_ } }) {
        $command = Get-Command $Name
        $command.HelpUri | Should -Match "^https://.+/$Name\.md$"
        $online = (Get-Help $Name).relatedLinks.navigationLink | Where-Object linkText -like 'Online Version*'
        $online.uri | Should -Be $command.HelpUri
    }

    It 'Get-Help -Online opens the page in the browser' {
        # A stand-in xdg-open (what .NET's shell execute runs on Linux) records the address it was given.
        $bin = Join-Path ([IO.Path]::GetTempPath()) ('ab' + [Guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory $bin | Out-Null
        try {
            $opened = Join-Path $bin 'opened.txt'
            Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`necho `"`$1`" > '$opened'`n"
            chmod +x (Join-Path $bin 'xdg-open')
            $env:PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH"
            try {
                & "$PSHOME/pwsh" -NoProfile -NonInteractive -Command "Import-Module '$ModuleManifest'; Get-Help Send-AsyaMessage -Online"
            } finally { $env:PATH = $env:PATH.Substring($bin.Length + 1) }
            $LASTEXITCODE | Should -Be 0
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path $opened) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            (Get-Content $opened -Raw).Trim() | Should -Be (Get-Command Send-AsyaMessage).HelpUri
        } finally { Remove-Item $bin -Recurse -Force }
    }
}
