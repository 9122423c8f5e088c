namespace AsyaSocket.Core.Transport;

/// <summary>
/// A failed attempt to reach a receiver that will be retried: what a caller shows while a send waits
/// for an actor that is not up yet (PowerShell: a verbose line and a progress record per attempt).
/// </summary>
/// <param name="Actor">The actor sent to.</param>
/// <param name="Address">Where it is being reached (the socket path).</param>
/// <param name="Attempt">The attempt that failed, from 1.</param>
/// <param name="MaxAttempts">The attempts allowed in all.</param>
/// <param name="Elapsed">From the first attempt to this failure.</param>
/// <param name="RetryIn">The pause before the next attempt.</param>
/// <param name="Reason">Why it failed, as the error id the last attempt would report (SocketNotFound, ConnectionRefused, ...).</param>
public sealed record AsyaConnectRetry(string Actor, string Address, int Attempt, int MaxAttempts, TimeSpan Elapsed, TimeSpan RetryIn, string Reason);
