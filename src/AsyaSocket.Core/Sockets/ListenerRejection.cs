namespace AsyaSocket.Core.Sockets;

/// <summary>One connection a socket listener closed without an ack (<see cref="SocketListener.Rejected"/>).</summary>
/// <param name="Reason">Why.</param>
/// <param name="AnnouncedLength">For <see cref="RejectReason.FrameTooLarge"/>, the body length the header announced; otherwise null.</param>
/// <param name="At">When.</param>
public sealed record ListenerRejection(RejectReason Reason, long? AnnouncedLength, DateTimeOffset At);
