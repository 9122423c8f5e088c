#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages AsyaSocket.
.DESCRIPTION
    Build    dotnet build; the build itself lays out output/AsyaSocket/<version>/ ready for Import-Module.
    Test     the xunit suites, then Pester in a child pwsh against the laid-out module (test.sh does the same
             without pwsh).
    Demo     the main job: a temporary mesh, PowerShell actors on a route, a capture listener, Test-AsyaMesh.
    Package  a .nupkg of the laid-out module, for Publish-PSResource or a file-share PowerShell repository.
.EXAMPLE
    ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Get-ModuleVersion {
    ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
}

function Get-ModuleDirectory { Join-Path $root "output/AsyaSocket/$(Get-ModuleVersion)" }

function Invoke-Native([string] $command, [string[]] $arguments) {
    & $command @arguments
    if ($LASTEXITCODE -ne 0) { throw "$command $($arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $root 'AsyaSocket.slnx'), '-c', $Configuration, '-nologo')
    Write-Host "Module laid out in $(Get-ModuleDirectory)"
}

function Invoke-Test {
    Get-ChildItem (Join-Path $root 'tests') -Filter '*.Tests.csproj' -Recurse | ForEach-Object {
        Invoke-Native dotnet @('test', $_.FullName, '-c', $Configuration, '--no-build', '-nologo')
    }
    # A child pwsh, so the module under test loads into a clean process.
    $pwsh = (Get-Process -Id $PID).Path
    Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/Pester/Run-Pester.ps1'),
        '-ModuleManifest', (Join-Path (Get-ModuleDirectory) 'AsyaSocket.psd1'))
}

function Invoke-Demo {
    $pwsh = (Get-Process -Id $PID).Path
    Invoke-Native $pwsh @('-NoProfile', '-File', (Join-Path $root 'examples/demo.ps1'),
        '-ModuleManifest', (Join-Path (Get-ModuleDirectory) 'AsyaSocket.psd1'))
}

function Invoke-Package {
    $version = Get-ModuleVersion
    $moduleDirectory = Get-ModuleDirectory
    $staging = Join-Path $root "output/package/AsyaSocket"
    Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Path $staging | Out-Null
    Copy-Item (Join-Path $moduleDirectory '*') $staging -Recurse

    $manifest = Import-PowerShellDataFile (Join-Path $moduleDirectory 'AsyaSocket.psd1')
    $tags = ($manifest.PrivateData.PSData.Tags + 'PSModule' + ($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_", "PSCommand_$_" })) -join ' '
    $escape = [System.Security.SecurityElement]
    @"
<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd">
  <metadata>
    <id>AsyaSocket</id>
    <version>$version</version>
    <authors>$($escape::Escape($manifest.Author))</authors>
    <description>$($escape::Escape($manifest.Description))</description>
    <copyright>$($escape::Escape($manifest.Copyright))</copyright>
    <tags>$($escape::Escape($tags))</tags>
    <projectUrl>$($escape::Escape($manifest.PrivateData.PSData.ProjectUri))</projectUrl>
  </metadata>
</package>
"@ | Set-Content (Join-Path $staging 'AsyaSocket.nuspec') -Encoding utf8NoBOM
    @'
<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="nuspec" ContentType="application/octet" />
  <Default Extension="psd1" ContentType="application/octet" />
  <Default Extension="ps1xml" ContentType="application/octet" />
  <Default Extension="dll" ContentType="application/octet" />
  <Default Extension="pdb" ContentType="application/octet" />
  <Default Extension="xml" ContentType="application/octet" />
  <Default Extension="txt" ContentType="application/octet" />
</Types>
'@ | Set-Content -LiteralPath (Join-Path $staging '[Content_Types].xml') -Encoding utf8NoBOM

    $package = Join-Path $root "output/AsyaSocket.$version.nupkg"
    Remove-Item $package -ErrorAction SilentlyContinue
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [System.IO.Compression.ZipFile]::CreateFromDirectory($staging, $package)
    Write-Host "Package: $package"
}

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Cyan
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { if ('Build' -notin $Task) { Invoke-Build }; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Package' { Invoke-Build; Invoke-Package }
    }
}
