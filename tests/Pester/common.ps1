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

function New-TestMesh {
    $path = Join-Path ([IO.Path]::GetTempPath()) ("ap" + [Guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
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
