using System.Management.Automation;
using AsyaSocket.Core.Errors;

namespace AsyaSocket.Infrastructure;

/// <summary>One stable error id and a real category for every kind of transport failure.</summary>
internal static class AsyaErrors
{
    /// <summary>The category for a kind of failure.</summary>
    /// <remarks>
    /// No default arm: a kind added to the core without a category here fails the build (CS8509). Only a
    /// number cast to the enum could miss every arm (CS8524), and no transport raises one.
    /// </remarks>
#pragma warning disable CS8524
    public static ErrorCategory CategoryOf(AsyaErrorKind kind) => kind switch
    {
        AsyaErrorKind.MeshNotFound => ErrorCategory.ObjectNotFound,
        AsyaErrorKind.InvalidActorName => ErrorCategory.InvalidArgument,
        AsyaErrorKind.AddressTooLong => ErrorCategory.InvalidArgument,
        AsyaErrorKind.ActorNotFound => ErrorCategory.ObjectNotFound,
        AsyaErrorKind.ConnectionRefused => ErrorCategory.ConnectionError,
        AsyaErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        AsyaErrorKind.ConnectFailed => ErrorCategory.ConnectionError,
        AsyaErrorKind.AckTimeout => ErrorCategory.OperationTimeout,
        AsyaErrorKind.ProtocolViolation => ErrorCategory.ProtocolError,
        AsyaErrorKind.NotAcknowledged => ErrorCategory.ConnectionError,
        AsyaErrorKind.SendFailed => ErrorCategory.WriteError,
        AsyaErrorKind.MessageTooLarge => ErrorCategory.LimitsExceeded,
        AsyaErrorKind.ActorInUse => ErrorCategory.ResourceExists,
        AsyaErrorKind.AddressOccupied => ErrorCategory.InvalidType,
        AsyaErrorKind.ListenFailed => ErrorCategory.OpenError,
        AsyaErrorKind.ReceiverClosed => ErrorCategory.ResourceUnavailable,
        AsyaErrorKind.ReceiverReplaced => ErrorCategory.ResourceUnavailable,
        AsyaErrorKind.SettlementFailed => ErrorCategory.ConnectionError,
        AsyaErrorKind.DelayedDeliveryNotSupported => ErrorCategory.NotImplemented,
        AsyaErrorKind.InvalidEnvelope => ErrorCategory.InvalidData,
        AsyaErrorKind.InvalidConfiguration => ErrorCategory.InvalidArgument,
    };
#pragma warning restore CS8524

    /// <summary>An error record with the failure's stable id (the transport's code, else the kind), its category, the target, and the fix when known.</summary>
    public static ErrorRecord Record(AsyaTransportException error, object? target)
    {
        var record = new ErrorRecord(error, error.ErrorId, CategoryOf(error.Kind), target ?? error.Address);
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
