using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AsyaSocket.Core.Sockets;

namespace AsyaSocket.Completion;

/// <summary>Completes actor names from the *.sock files in the mesh directory. Never connects, never throws.</summary>
public sealed class ActorNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var meshPath = fakeBoundParameters?["MeshPath"] as string;
            var mesh = new MeshDirectory(string.IsNullOrEmpty(meshPath) ? null : meshPath);
            return CompletionText.Matching(MeshInspector.ActorNames(mesh), wordToComplete, name => $"{name} ({mesh.Path})");
        }
        catch (Exception)
        {
            return Array.Empty<CompletionResult>();
        }
    }
}
