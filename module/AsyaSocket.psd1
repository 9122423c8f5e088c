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
        'Get-AsyaListener'
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
            ProjectUri   = 'https://github.com/asyasocket/AsyaSocket'
            ReleaseNotes = 'See README.md.'
        }
    }
}
