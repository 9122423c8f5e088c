namespace AsyaSocket.Core.Transport;

/// <summary>Sends one message to an actor and returns once the receiver acknowledged it. Transport-neutral.</summary>
public interface IAsyaSender
{
    /// <summary>Sends <paramref name="body"/> to <paramref name="actor"/>; completes when it is acked.</summary>
    ValueTask<AsyaSendResult> SendAsync(string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);
}
