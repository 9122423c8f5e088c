namespace AsyaSocket.Core.Transport;

/// <summary>When a listener sends the ack.</summary>
public enum AckPolicy
{
    /// <summary>As soon as the message is in the bounded buffer (the sidecar's meaning of delivered). A full buffer holds senders back.</summary>
    WhenBuffered,
    /// <summary>Only when a consumer takes the message, so a consumer that stops early leaves the rest un-acked for the senders to retry.</summary>
    WhenTaken,
}
