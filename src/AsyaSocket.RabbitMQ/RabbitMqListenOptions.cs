namespace AsyaSocket.RabbitMQ;

/// <summary>
/// How a receiver takes messages for an actor on RabbitMQ: the neutral settings (the buffer capacity is the
/// prefetch, the ack policy says when basic.ack goes out) plus what only a broker has.
/// </summary>
public sealed record RabbitMqListenOptions : ListenOptions
{
    /// <summary>
    /// Consume copies from a private queue (exclusive, auto-deleted) bound to the actor's routing key, and take
    /// nothing from the actor's queue: for watching a running mesh.
    /// </summary>
    public bool Tap { get; init; }

    /// <summary>Consume the actor's queue even when it already has consumers (the running actor's sidecar): the broker then shares messages between them.</summary>
    public bool Compete { get; init; }

    /// <summary>How long a receiver keeps trying to consume again after losing the broker before it fails.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>These settings with the neutral ones taken from <paramref name="options"/> (and its broker ones when it is RabbitMQ's).</summary>
    public static RabbitMqListenOptions From(ListenOptions? options) => Overlay(new RabbitMqListenOptions(), options);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (BufferCapacity > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferCapacity), BufferCapacity, "The prefetch cannot exceed 65535.");
        }

        if (ReconnectTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectTimeout), ReconnectTimeout, "The timeout cannot be negative.");
        }
    }
}
