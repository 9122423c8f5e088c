using System.Globalization;

namespace AsyaSocket.Infrastructure;

/// <summary>Reads a socket file mode given as octal text ("0666", "660").</summary>
internal static class SocketModeParser
{
    /// <summary>The pattern -SocketMode accepts.</summary>
    public const string Pattern = "^0?[0-7]{3}$";

    public static UnixFileMode? Parse(string? mode) =>
        string.IsNullOrEmpty(mode) ? null : (UnixFileMode)Convert.ToInt32(mode, 8);

    public static string Format(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0').ToString(CultureInfo.InvariantCulture);
}
