using System.Runtime.Versioning;

// Unix domain sockets on a shared volume: the Asya socket transport exists on Linux and macOS only.
[assembly: SupportedOSPlatform("linux")]
[assembly: SupportedOSPlatform("macos")]
