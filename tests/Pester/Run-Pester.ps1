#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite against the laid-out module and prints one line: "Pester: N passed, N failed, N skipped".
.DESCRIPTION
    Called by build.ps1 -Task Test and by test.sh in a child pwsh, so the module loads into a clean process.
    Uses an installed Pester 5.7 or later (6.x included) when there is one, else the Pester 6.2.0 that the
    build restored from NuGet into output/tools/Pester. An older Pester is never used silently.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest,
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
$minimum = [version]'5.7.0'
$restored = Get-ChildItem (Join-Path $PSScriptRoot '../../output/tools/Pester') -Filter Pester.psd1 -Recurse -ErrorAction SilentlyContinue |
    Sort-Object { [version]$_.Directory.Name } -Descending | Select-Object -First 1

$installed = @(Get-Module -ListAvailable Pester)
$suitable = $installed | Where-Object { $_.Version -ge $minimum -and $_.Version.Major -lt 7 } | Sort-Object Version -Descending | Select-Object -First 1
if ($suitable) {
    Import-Module $suitable.Path
} else {
    foreach ($old in $installed) {
        Write-Output "Pester $($old.Version) at $($old.ModuleBase) is older than $minimum and is not used."
    }
    if (-not $restored) {
        Write-Output 'Pester: failed (no Pester 5.7+ is installed and none was restored: run `dotnet build build/Toolchain/Toolchain.csproj`, which restores Pester 6.2.0 from NuGet into output/tools/Pester)'
        exit 1
    }
    Import-Module $restored.FullName
}
$pester = Get-Module Pester
Write-Output "Using Pester $($pester.Version) from $($pester.ModuleBase) on PowerShell $($PSVersionTable.PSVersion) ($PSHOME)"
if ($ModuleManifest) { $env:ASYASOCKET_MODULE = (Resolve-Path $ModuleManifest).Path }

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Normal'
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = $ResultPath
}
$result = Invoke-Pester -Configuration $configuration
Write-Output ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, ($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount), $result.SkippedCount)
exit ([int]($result.Result -ne 'Passed'))
