using System.Globalization;
using System.Management.Automation;

namespace AsyaSocket.Infrastructure;

/// <summary>
/// The verbose and debug lines the cmdlets write about messages: sizes, ids, routes and timings, never a
/// body. Built only when the stream is on, so a large receive pays nothing for them otherwise.
/// </summary>
internal static class DiagnosticLog
{
    /// <summary>True when -Verbose was given, or $VerbosePreference asks for verbose records (read once per command).</summary>
    public static bool VerboseOn(PSCmdlet cmdlet) => cmdlet is Commands.AsyaCmdlet asya
        ? asya.Preferences.Verbose
        : ReadVerbose(cmdlet);

    /// <summary>True when -Debug was given, or $DebugPreference asks for debug records (read once per command).</summary>
    public static bool DebugOn(PSCmdlet cmdlet) => cmdlet is Commands.AsyaCmdlet asya
        ? asya.Preferences.Debug
        : ReadDebug(cmdlet);

    /// <summary>Reads -Verbose or $VerbosePreference now: a scope lookup, so a command reads it once, not per record.</summary>
    public static bool ReadVerbose(PSCmdlet cmdlet) => IsOn(cmdlet, "Verbose", "VerbosePreference");

    /// <summary>Reads -Debug or $DebugPreference now.</summary>
    public static bool ReadDebug(PSCmdlet cmdlet) => IsOn(cmdlet, "Debug", "DebugPreference");

    /// <summary>
    /// Writes a verbose line when verbose output is asked for. A compiled cmdlet run with -Debug alone would
    /// otherwise ask to confirm every verbose line (PowerShell treats -Debug as verbose-and-inquire), which
    /// fails in a non-interactive shell.
    /// </summary>
    public static void Verbose(PSCmdlet cmdlet, string message)
    {
        if (VerboseOn(cmdlet))
        {
            cmdlet.WriteVerbose(message);
        }
    }

    /// <summary>One received message: verbose says what arrived, debug how (transport id, time, status).</summary>
    public static void Received(PSCmdlet cmdlet, AsyaMessage message, int number, int count)
    {
        if (VerboseOn(cmdlet))
        {
            var of = count > 0 ? $" of {count}" : string.Empty;
            cmdlet.WriteVerbose(string.Format(
                CultureInfo.InvariantCulture,
                "Received message {0}{1} as '{2}': {3} bytes, {4}.",
                number, of, message.Actor, message.Length, message.Id is { } id ? $"envelope {id}" : "not an envelope"));
        }

        if (DebugOn(cmdlet))
        {
            cmdlet.WriteDebug(string.Format(
                CultureInfo.InvariantCulture,
                "Message {0}: received {1:O} in {2}; route {3}; status {4}.",
                message.TransportId, message.ReceivedAt, message.MeshPath, message.Route?.ToString() ?? "(none)",
                message.Phase is null ? "(none)" : $"{message.Phase}/{message.Reason}"));
        }
    }

    private static bool IsOn(PSCmdlet cmdlet, string parameter, string preferenceVariable)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue(parameter, out var bound))
        {
            return bound is SwitchParameter { IsPresent: true } || bound is true;
        }

        // A preference set in a child scope ($VerbosePreference = 'Continue' in a script block) is plain text.
        return LanguagePrimitives.TryConvertTo<ActionPreference>(cmdlet.GetVariableValue(preferenceVariable), out var preference)
            && preference is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
    }
}
