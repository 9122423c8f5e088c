@{
    RootModule             = 'AsyaSocket.dll'
    # The build writes the version from Directory.Build.props into the laid-out copy.
    ModuleVersion          = '0.1.0'
    GUID                   = '6f7d3b0e-5a43-4c1e-9d8f-2b1a7c9e4d21'
    Author                 = 'AsyaSocket contributors'
    CompanyName            = 'AsyaSocket contributors'
    Copyright              = 'Copyright (c) AsyaSocket contributors'
    Description            = 'Drive and verify Asya actor meshes over their Unix socket transport: send and receive envelopes, run background listeners as jobs, and check a mesh without disturbing it.'
    PowerShellVersion      = '7.4'
    CompatiblePSEditions   = @('Core')
    FormatsToProcess       = @('AsyaSocket.Format.ps1xml')
    CmdletsToExport        = @(
        'Connect-AsyaMesh'
        'Disconnect-AsyaMesh'
        'Get-AsyaListener'
        'Get-AsyaMesh'
        'Invoke-AsyaFlow'
        'New-AsyaEnvelope'
        'Receive-AsyaMessage'
        'Send-AsyaMessage'
        'Start-AsyaActor'
        'Start-AsyaListener'
        'Stop-AsyaListener'
        'Test-AsyaMesh'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Asya', 'Actors', 'UnixSocket', 'Mesh', 'Testing', 'PSEdition_Core', 'Linux', 'MacOS', 'Docker')
            LicenseUri   = 'https://github.com/asyasocket/AsyaSocket/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/asyasocket/AsyaSocket'
            ReleaseNotes = @'
0.1.0: the first release.
- Send-AsyaMessage and Receive-AsyaMessage speak the Asya sidecar's Unix socket protocol byte for byte
  (4-byte length, JSON envelope, one-byte ack), with the sidecar's dial retries and bounded waits.
- Start-AsyaListener runs background listeners as PowerShell jobs; Get-/Stop-AsyaListener find and stop them.
- Start-AsyaActor replaces an actor with a script block that follows the sidecar's routing rules.
- Invoke-AsyaFlow sends along a route and returns the envelope that reached the sink or sump, with its path.
- Test-AsyaMesh checks a mesh directory (or a Compose file's sidecars) without connecting to anything.
- New-AsyaEnvelope builds an envelope to inspect or edit before sending.
'@
        }
    }
}
