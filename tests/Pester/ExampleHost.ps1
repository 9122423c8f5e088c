# Runs one documentation example in a runspace of its own, the way a reader would paste it: in a fresh
# working directory, with the module on PSModulePath, and with stand-in actors where the example expects
# a mesh that is already running (the Compose mesh's validate-order and enrich, sinking to ps-capture).
param(
    [Parameter(Mandatory)] [string] $Code,
    [Parameter(Mandatory)] [string] $Mesh,
    [Parameter(Mandatory)] [string] $WorkingDirectory,
    [string[]] $StandIn = @(),
    [string] $PesterManifest,
    [switch] $IsPesterFile
)
$ErrorActionPreference = 'Stop'
Import-Module AsyaSocket
$env:ASYA_SOCKET_MESH_DIR = $Mesh
Set-Location $WorkingDirectory

# What the Compose example's handlers (examples/compose/handlers/orders.py) do, as mock actors.
$handlers = @{
    'validate-order' = {
        param($Envelope)
        if ($Envelope.payload.amount -le 0) { throw "amount must be positive, got $($Envelope.payload.amount)" }
        $Envelope.payload | Add-Member -NotePropertyName valid -NotePropertyValue $true -PassThru
    }
    'enrich' = { $_.payload | Add-Member -NotePropertyName region -NotePropertyValue 'eu-west' -PassThru }
}
foreach ($name in $StandIn) {
    $null = Start-AsyaActor -Actor $name -SinkActor ps-capture -SumpActor ps-capture -Process $handlers[$name]
}

try {
    if ($IsPesterFile) {
        Import-Module $PesterManifest
        $file = Join-Path $WorkingDirectory 'Example.Tests.ps1'
        Set-Content -Path $file -Value $Code
        $result = Invoke-Pester -Path $file -PassThru -Output None
        foreach ($failed in $result.Failed) { Write-Error "$($failed.ExpandedPath): $($failed.ErrorRecord -join '; ')" -ErrorAction Continue }
        foreach ($failed in $result.FailedBlocks + $result.FailedContainers) { Write-Error "$($failed.Name): $($failed.ErrorRecord -join '; ')" -ErrorAction Continue }
        if ($result.Result -ne 'Passed' -or $result.PassedCount -eq 0) { throw "The example's tests did not pass ($($result.PassedCount) passed, $($result.FailedCount) failed)." }
    } else {
        . ([scriptblock]::Create($Code)) | Out-String -Width 80
    }
} finally {
    # A Connect-AsyaMesh in the example is the session's for the whole process: forget it.
    if (Get-Command Disconnect-AsyaMesh -ErrorAction SilentlyContinue) { $null = Disconnect-AsyaMesh -ErrorAction SilentlyContinue }
    Get-AsyaListener | Stop-AsyaListener
    Get-Job | Where-Object PSJobTypeName -in 'AsyaListener', 'AsyaActor' | Remove-Job -Force
}
