using System.Management.Automation;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Infrastructure;

/// <summary>One stable error id and a real category for every kind of core failure.</summary>
public static class AsyaErrors
{
    /// <summary>The category for a kind of failure.</summary>
    public static ErrorCategory CategoryOf(AsyaErrorKind kind) => kind switch
    {
        AsyaErrorKind.MeshDirectoryNotFound => ErrorCategory.ObjectNotFound,
        AsyaErrorKind.InvalidActorName => ErrorCategory.InvalidArgument,
        AsyaErrorKind.SocketPathTooLong => ErrorCategory.InvalidArgument,
        AsyaErrorKind.SocketNotFound => ErrorCategory.ObjectNotFound,
        AsyaErrorKind.ConnectionRefused => ErrorCategory.ConnectionError,
        AsyaErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        AsyaErrorKind.ConnectFailed => ErrorCategory.ConnectionError,
        AsyaErrorKind.AckTimeout => ErrorCategory.OperationTimeout,
        AsyaErrorKind.UnexpectedAck => ErrorCategory.ProtocolError,
        AsyaErrorKind.PeerClosedBeforeAck => ErrorCategory.ConnectionError,
        AsyaErrorKind.WriteFailed => ErrorCategory.WriteError,
        AsyaErrorKind.FrameTooLarge => ErrorCategory.LimitsExceeded,
        AsyaErrorKind.SocketInUse => ErrorCategory.ResourceExists,
        AsyaErrorKind.NotASocket => ErrorCategory.InvalidType,
        AsyaErrorKind.BindFailed => ErrorCategory.OpenError,
        AsyaErrorKind.ListenerClosed => ErrorCategory.ResourceUnavailable,
        AsyaErrorKind.SocketReplaced => ErrorCategory.ResourceUnavailable,
        AsyaErrorKind.DelayedDeliveryNotSupported => ErrorCategory.NotImplemented,
        AsyaErrorKind.InvalidEnvelope => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>The error id: the kind's name, so scripts can match on it.</summary>
    public static string IdOf(AsyaErrorKind kind) => kind.ToString();

    /// <summary>An error record with the kind's id and category, the target, and the fix when known.</summary>
    public static ErrorRecord Record(AsyaSocketException error, object? target)
    {
        var record = new ErrorRecord(error, IdOf(error.Kind), CategoryOf(error.Kind), target ?? error.SocketPath);
        if (error.Hint is not null)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = error.Hint };
        }

        return record;
    }

    /// <summary>An error record for a failure that did not come from the core.</summary>
    public static ErrorRecord Record(Exception error, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(error, errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(error.Message) { RecommendedAction = recommendedAction };
        }

        return record;
    }
}
