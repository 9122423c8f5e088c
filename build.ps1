#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates and packages AsyaSocket.
.DESCRIPTION
    Build    dotnet build; the build itself lays out output/AsyaSocket/<version>/ ready for Import-Module.
    Test     the xunit suites, then Pester in a child pwsh against the laid-out module (test.sh does the same
             without pwsh).
    Demo     the main job: a temporary mesh, PowerShell actors on a route, a capture listener, Test-AsyaMesh.
    Install  copies the laid-out module into this user's module path, so `Import-Module AsyaSocket` works by name.
    Package  a .nupkg of the laid-out module (Compress-PSResource), for a PowerShell repository.

    Without a pwsh of your own, run it through the pinned one: dotnet tool restore; dotnet pwsh ./build.ps1 ...
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo
.EXAMPLE
    ./build.ps1 -Task Install
.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Install', 'Package')]
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

# This shell's own executable. Never (Get-Process -Id $PID).Path: for the PowerShell dotnet tool that is
# `dotnet`, and Microsoft's packages, a distro pwsh and the tool all keep pwsh in $PSHOME.
$pwsh = Join-Path $PSHOME 'pwsh'

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
    Invoke-Native $pwsh @('-NoProfile', '-NonInteractive', '-File', (Join-Path $root 'tests/Pester/Run-Pester.ps1'),
        '-ModuleManifest', (Join-Path (Get-ModuleDirectory) 'AsyaSocket.psd1'))
}

function Invoke-Demo {
    Invoke-Native $pwsh @('-NoProfile', '-File', (Join-Path $root 'examples/demo.ps1'),
        '-ModuleManifest', (Join-Path (Get-ModuleDirectory) 'AsyaSocket.psd1'))
}

# The first module folder of this user's $env:PSModulePath (~/.local/share/powershell/Modules on Linux and
# macOS), the scope Install-PSResource -Scope CurrentUser uses too.
function Get-UserModulePath {
    $userRoot = [Environment]::GetFolderPath('LocalApplicationData')
    $candidates = $env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object { $_ -and $_.StartsWith($userRoot) }
    $candidates | Select-Object -First 1
    if (-not $candidates) { Join-Path $userRoot 'powershell/Modules' }
}

function Invoke-Install {
    $version = Get-ModuleVersion
    $target = Join-Path (Get-UserModulePath) "AsyaSocket/$version"
    if (Test-Path $target) { Remove-Item -Recurse -Force $target }
    New-Item -ItemType Directory -Path $target -Force | Out-Null
    Copy-Item (Join-Path (Get-ModuleDirectory) '*') $target -Recurse
    Write-Host "Installed AsyaSocket $version in $target; in a new session: Import-Module AsyaSocket"
}

function Invoke-Package {
    $version = Get-ModuleVersion
    $destination = Join-Path $root 'output'
    $package = Join-Path $destination "AsyaSocket.$version.nupkg"
    Remove-Item $package -ErrorAction SilentlyContinue
    # Compress-PSResource (PSResourceGet, shipped with pwsh 7.6) writes the nuspec from the manifest itself.
    # It names the package after the folder, so it is given one called AsyaSocket.
    $staging = Join-Path $root 'output/package/AsyaSocket'
    Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Path $staging -Force | Out-Null
    Copy-Item (Join-Path (Get-ModuleDirectory) '*') $staging -Recurse
    Compress-PSResource -Path $staging -DestinationPath $destination
    Write-Host "Package: $package"
}

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Cyan
    switch ($step) {
        'Build' { Invoke-Build }
        'Test' { if ('Build' -notin $Task) { Invoke-Build }; Invoke-Test }
        'Demo' { Invoke-Build; Invoke-Demo }
        'Install' { Invoke-Build; Invoke-Install }
        'Package' { Invoke-Build; Invoke-Package }
    }
}
