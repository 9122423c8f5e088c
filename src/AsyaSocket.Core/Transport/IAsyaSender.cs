namespace AsyaSocket.Core.Transport;

/// <summary>
/// Sends messages to actors and returns once the receiver acknowledged each (socket: the 0x01 byte;
/// broker: the publisher confirm). Transport-neutral. Disposing releases what it holds (a broker's channel).
/// </summary>
public interface IAsyaSender : IAsyncDisposable, IDisposable
{
    /// <summary>Sends <paramref name="body"/> to <paramref name="actor"/>; completes when it is acked.</summary>
    ValueTask<AsyaSendResult> SendAsync(string actor, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default);

    /// <summary>Sends after <paramref name="delay"/>; a transport without delayed delivery fails with <c>DelayedDeliveryNotSupported</c>.</summary>
    ValueTask<AsyaSendResult> SendWithDelayAsync(string actor, ReadOnlyMemory<byte> body, TimeSpan delay, CancellationToken cancellationToken = default);
}
