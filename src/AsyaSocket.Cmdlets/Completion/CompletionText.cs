using System.Management.Automation;

namespace AsyaSocket.Completion;

/// <summary>Shared matching and quoting for the module's completers.</summary>
internal static class CompletionText
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string? wordToComplete, Func<string, string> toolTip)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return candidates
            .Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(name => new CompletionResult(Quote(name), name, CompletionResultType.ParameterValue, toolTip(name)))
            .ToList();
    }

    // Names with spaces or PowerShell metacharacters must be quoted to stay one argument.
    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#' }) >= 0
            ? "'" + name.Replace("'", "''") + "'"
            : name;
}
