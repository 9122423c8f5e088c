using System.Globalization;

namespace AsyaSocket.TestPeer;

/// <summary>A bad command line.</summary>
internal sealed class PeerUsageException(string message) : Exception(message);

/// <summary>The verb, its positional arguments and its --options (a flag has no value).</summary>
internal sealed class PeerCommand
{
    private static readonly HashSet<string> Flags = ["when-taken", "force", "trickle"];
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positional = [];

    private PeerCommand(string verb) => Verb = verb;

    public string Verb { get; }

    public static PeerCommand Parse(string[] args)
    {
        if (args.Length == 0)
        {
            throw new PeerUsageException("no verb");
        }

        var command = new PeerCommand(args[0]);
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                if (Flags.Contains(name))
                {
                    command._options[name] = null;
                }
                else if (i + 1 < args.Length)
                {
                    command._options[name] = args[++i];
                }
                else
                {
                    throw new PeerUsageException($"option --{name} needs a value");
                }
            }
            else
            {
                command._positional.Add(args[i]);
            }
        }

        return command;
    }

    public string Arg(int index, string name) =>
        index < _positional.Count ? _positional[index] : throw new PeerUsageException($"missing <{name}>");

    public int IntArg(int index, string name) =>
        int.TryParse(Arg(index, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new PeerUsageException($"<{name}> must be an integer");

    public bool Flag(string name) => _options.ContainsKey(name);

    public string? Option(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public int Int(string name, int fallback) => Option(name) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw new PeerUsageException($"--{name} must be an integer")
        : fallback;
}
