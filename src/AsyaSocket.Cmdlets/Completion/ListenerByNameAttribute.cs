using System.Management.Automation;

namespace AsyaSocket.Completion;

/// <summary>
/// Lets a listener parameter take a running listener's name as well as the job itself, like
/// Receive-Job -Name: a name that matches no running listener fails binding with a message that says so.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ListenerByNameAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not string name)
        {
            return inputData;
        }

        return AsyaListenerRegistry.All.FirstOrDefault(job => string.Equals(job.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentTransformationMetadataException(
                $"No running listener is named '{name}'. List the running listeners with Get-AsyaListener.");
    }
}
