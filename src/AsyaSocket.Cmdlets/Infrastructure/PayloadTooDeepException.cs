namespace AsyaSocket.Infrastructure;

/// <summary>
/// A value nested deeper than can be sent as JSON: usually an object graph with a reference cycle
/// (Get-Item's FileInfo, a Process). Says what to do about it.
/// </summary>
internal sealed class PayloadTooDeepException : ArgumentException
{
    public PayloadTooDeepException(int maxDepth)
        : base($"The value is nested deeper than {maxDepth} levels, most likely a reference cycle (objects such as Get-Item's or Get-Process's refer back to themselves); it cannot be sent as JSON whole.")
    {
    }

    /// <summary>What a user does about it, for the error record's recommended action.</summary>
    public const string RecommendedAction =
        "Send only the properties you need (for example: Get-Item ./f | Select-Object Name, Length | Send-AsyaMessage ...), or pass -Depth to write what is nested deeper as text, as ConvertTo-Json -Depth does.";
}
