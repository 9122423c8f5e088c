using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AsyaSocket.Infrastructure;

namespace AsyaSocket.Completion;

/// <summary>Completes actor names from what the mesh shows without connecting (the *.sock files of a socket mesh). Never throws.</summary>
public sealed class ActorNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var (mesh, actors) = TransportFactory.KnownActors(CompletionMesh.PathFrom(fakeBoundParameters));
            return CompletionText.Matching(actors, wordToComplete, name => $"{name} ({mesh})");
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
