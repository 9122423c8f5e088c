namespace AsyaSocket.Infrastructure;

/// <summary>
/// Where each cmdlet's help page is published, for [Cmdlet(HelpUri)] and Get-Help -Online. The pages are the
/// markdown in docs/help/en-US, whose 'online version:' front matter must name the same address.
/// </summary>
internal static class HelpLinks
{
    /// <summary>The project's home, as the manifest's ProjectUri says.</summary>
    public const string Project = "https://github.com/asyasocket/AsyaSocket";

    /// <summary>The folder of the help pages; a page is &lt;cmdlet name&gt;.md.</summary>
    public const string Pages = Project + "/blob/main/docs/help/en-US/";
}
