# Shared by every *.Tests.ps1: imports the laid-out module (output/AsyaSocket/<version>) and gives each
# test a short temporary mesh directory (sun_path allows 107 bytes).
$ErrorActionPreference = 'Stop'

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:ASYASOCKET_MODULE) {
    $env:ASYASOCKET_MODULE
} else {
    Get-ChildItem (Join-Path $RepoRoot 'output/AsyaSocket') -Directory |
        Sort-Object { [version]$_.Name } -Descending |
        Select-Object -First 1 |
        ForEach-Object { Join-Path $_.FullName 'AsyaSocket.psd1' }
}
Import-Module $ModuleManifest -Force

# The running shell's own executable. Never (Get-Process -Id $PID).Path: for the PowerShell dotnet tool
# that is `dotnet`, and a child started from it is not a shell at all.
$script:Pwsh = Join-Path $PSHOME 'pwsh'

# A copy of this PowerShell that any user can run. The dotnet tool lives under the installing user's
# home (mode 0700 for root), which another user cannot read; the copy goes under the temp directory,
# once per version, published by a rename so concurrent runs never see half a copy.
function Get-PwshForAnyUser {
    $copy = Join-Path ([IO.Path]::GetTempPath()) "asya-pwsh-$($PSVersionTable.PSVersion)"
    if (-not (Test-Path (Join-Path $copy 'pwsh'))) {
        $staging = "$copy.$PID"
        Copy-Item -Recurse $PSHOME $staging
        & chmod -R 'a+rX' $staging
        try { [IO.Directory]::Move($staging, $copy) } catch { Remove-Item -Recurse -Force $staging }
    }
    Join-Path $copy 'pwsh'
}

# `env` arguments that let another user start that copy: a HOME it can write (the .NET host creates
# $HOME/.dotnet) and the .NET runtime's root, which the apphost must find without the tool's launcher.
function Get-AnyUserEnvironment {
    $userHome = Join-Path ([IO.Path]::GetTempPath()) "asya-home-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $userHome | Out-Null
    & chmod 1777 $userHome
    $runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $dotnetRoot = [IO.Path]::GetFullPath((Join-Path $runtime '../../..'))
    @("HOME=$userHome", "DOTNET_CLI_HOME=$userHome", "DOTNET_ROOT=$dotnetRoot", 'DOTNET_CLI_TELEMETRY_OPTOUT=1', 'POWERSHELL_TELEMETRY_OPTOUT=1')
}

function New-TestMesh {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("ap" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

# A logs folder inside a test mesh, for what child shells write; removed with the mesh.
function New-TestLogs([string] $Mesh) {
    $logs = Join-Path $Mesh 'logs'
    New-Item -ItemType Directory -Path $logs | Out-Null
    $logs
}

# The listeners a mock actor's end results go to: x-sink (succeeded) and x-sump (failed), named sink and sump.
function Start-SinkAndSump([string] $Mesh) {
    Start-AsyaListener -Actor x-sink -MeshPath $Mesh -Name sink
    Start-AsyaListener -Actor x-sump -MeshPath $Mesh -Name sump
}

function Remove-TestMesh([string] $Path) {
    Get-AsyaListener | Stop-AsyaListener
    Get-Job | Where-Object PSJobTypeName -eq 'AsyaListener' | Remove-Job -Force
    if ($Path -and (Test-Path $Path)) { Remove-Item -Recurse -Force $Path }
}

# A socket file that exists but that nobody listens on: bound, never listening.
function New-StaleSocket([string] $Path) {
    $socket = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
    $socket.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($Path))
    $socket
}
