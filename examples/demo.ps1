#Requires -Version 7.4
<#
.SYNOPSIS
    The AsyaSocket tour: a whole Asya flow on this machine, no containers needed.
.DESCRIPTION
    Creates a temporary mesh directory, starts two PowerShell actors that follow Asya's routing rules,
    captures what reaches the sink and the sump with a listener job, sends envelopes along the route,
    shows what arrived, checks the mesh passively, and cleans up.
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = (Join-Path $PSScriptRoot '../output/AsyaSocket/*/AsyaSocket.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModuleManifest | Select-Object -Last 1).Path -Force

$mesh = Join-Path ([IO.Path]::GetTempPath()) ("asya-demo-" + [Guid]::NewGuid().ToString('N').Substring(0, 6))
New-Item -ItemType Directory -Path $mesh | Out-Null
$env:ASYA_SOCKET_MESH_DIR = $mesh

function Show([string] $title, $value) {
    Write-Host "`n### $title" -ForegroundColor Cyan
    $value | Out-Host
}

try {
    Write-Host "Mesh directory: $mesh"

    # Two actors. Their output becomes the next payload; a throw sends the envelope to the sink as failed.
    $validate = Start-AsyaActor -Actor validate-order -SinkActor capture -SumpActor capture -Process {
        param($Envelope)
        if ($Envelope.payload.amount -le 0) { throw "amount must be positive, got $($Envelope.payload.amount)" }
        $Envelope.payload | Add-Member -NotePropertyName valid -NotePropertyValue $true -PassThru
    }
    $enrich = Start-AsyaActor -Actor enrich -SinkActor capture -SumpActor capture -Process {
        $_.payload | Add-Member -NotePropertyName region -NotePropertyValue 'eu-west' -PassThru
    }
    # The capture listener plays x-sink and x-sump: the actors above send there.
    $capture = Start-AsyaListener -Actor capture -Name capture
    Show 'Background jobs (Get-Job)' (Get-Job)

    Show 'Test-AsyaMesh (passive: it never connects)' (Test-AsyaMesh)

    Show 'Sending three orders along validate-order > enrich' (
        @{ order_id = 'A-1001'; amount = 42.5 },
        @{ order_id = 'A-1002'; amount = 7 },
        @{ order_id = 'A-1003'; amount = -1 } |
            Send-AsyaMessage -Route validate-order, enrich -PassThru)

    # An envelope addressed to the wrong actor: the sidecar rules send it to the sump as RouteMismatch.
    New-AsyaEnvelope -Actor somebody-else -Payload @{ order_id = 'A-1004' } |
        Send-AsyaMessage -Actor enrich

    $arrived = Receive-AsyaMessage -Listener $capture -Count 4 -TimeoutSec 15
    Show 'What reached the capture listener' $arrived
    Show 'Payloads of the successful ones' ($arrived | Where-Object Phase -eq 'succeeded' | ForEach-Object Payload)

    # Invoke-AsyaFlow listens as the sink itself, so the capture listener makes way first.
    Stop-AsyaListener -Name capture
    Show 'Invoke-AsyaFlow: one envelope, traced to the sink' (
        Invoke-AsyaFlow -Route validate-order, enrich -Payload @{ order_id = 'A-2001'; amount = 99 } -SinkActor capture -SumpActor capture |
            Select-Object Id, Phase, Reason, @{ n = 'Path'; e = { $_.Path -join ' > ' } }, @{ n = 'Ms'; e = { [math]::Round($_.Duration.TotalMilliseconds, 1) } })

    Show 'What each actor did (Receive-Job)' (Receive-Job $validate, $enrich)
}
finally {
    Get-AsyaListener | Stop-AsyaListener
    Get-Job | Where-Object PSJobTypeName -in 'AsyaListener', 'AsyaActor' | Remove-Job -Force
    Remove-Item -Recurse -Force $mesh
    Write-Host "`nStopped every listener and removed $mesh."
}
