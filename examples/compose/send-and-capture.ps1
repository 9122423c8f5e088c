#Requires -Version 7.4
# Sends one order through validate-order > enrich and prints what reaches the capture listener.
# Run in the tools container: docker compose run --rm tools pwsh -File /scripts/send-and-capture.ps1
$ErrorActionPreference = 'Stop'
Import-Module AsyaSocket

# Both actors must be up before anything is sent: their sockets exist once their runtimes are ready.
if (-not (Test-AsyaMesh -Actor validate-order, enrich -Quiet)) {
    Test-AsyaMesh -Actor validate-order, enrich | Format-Table -Wrap
    throw 'The mesh is not ready.'
}

$capture = Start-AsyaListener -Actor ps-capture
try {
    $sent = @{ order_id = 'A-1001'; amount = 42.5 } | Send-AsyaMessage -Route validate-order, enrich -PassThru
    $sent | Format-Table
    Receive-AsyaMessage -Listener $capture -Count 1 -TimeoutSec 30 | Format-List Id, Phase, Reason, Route, Payload
}
finally {
    $capture | Stop-AsyaListener
}
