using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AsyaSocket.Completion;

/// <summary>Completes the names of this session's running listeners. Never throws.</summary>
public sealed class ListenerNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            return CompletionText.Matching(
                AsyaListenerRegistry.All.Select(job => job.Name),
                wordToComplete,
                name => name);
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
