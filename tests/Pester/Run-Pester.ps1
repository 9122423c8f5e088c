#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite against the laid-out module and prints one line: "Pester: N passed, N failed, N skipped".
.DESCRIPTION
    Called by build.ps1 -Task Test and by test.sh in a child pwsh, so the module loads into a clean process.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest,
    [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0')) {
    Write-Output 'Pester: skipped (Pester 5 is not installed: Install-Module Pester -MinimumVersion 5.0)'
    exit 0
}
Import-Module Pester -MinimumVersion 5.0
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
