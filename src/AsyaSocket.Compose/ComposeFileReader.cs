using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AsyaSocket.Compose;

/// <summary>Finds the Asya sidecars of a Docker Compose file.</summary>
public static class ComposeFileReader
{
    private const string MergeKey = "<<";

    /// <summary>Every service whose environment sets ASYA_ACTOR_NAME, in file order.</summary>
    /// <exception cref="InvalidDataException">The file is not YAML, or has no services mapping.</exception>
    public static IReadOnlyList<ComposeActor> ReadActors(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = File.OpenText(path);
            stream.Load(reader);
        }
        catch (YamlException error)
        {
            throw new InvalidDataException($"'{path}' is not valid YAML: {error.Message}", error);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "services") is not YamlMappingNode services)
        {
            throw new InvalidDataException($"'{path}' has no 'services' mapping; it is not a compose file.");
        }

        var actors = new List<ComposeActor>();
        foreach (var (key, value) in Entries(services))
        {
            if (value is not YamlMappingNode service)
            {
                continue;
            }

            var environment = Environment(Child(service, "environment"));
            if (environment.TryGetValue("ASYA_ACTOR_NAME", out var actor) && !string.IsNullOrEmpty(actor))
            {
                environment.TryGetValue("ASYA_TRANSPORT", out var transport);
                environment.TryGetValue("ASYA_SOCKET_MESH_DIR", out var meshDirectory);
                actors.Add(new ComposeActor(key, actor, transport, meshDirectory, Scalar(Child(service, "user"))));
            }
        }

        return actors;
    }

    // environment: as a mapping (KEY: value) or a list ("KEY=value").
    private static Dictionary<string, string?> Environment(YamlNode? node)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in Entries(mapping))
                {
                    environment[key] = Scalar(value);
                }

                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children.Select(Scalar).OfType<string>())
                {
                    var separator = item.IndexOf('=');
                    environment[separator < 0 ? item : item[..separator]] = separator < 0 ? null : item[(separator + 1)..];
                }

                break;
        }

        return environment;
    }

    // A mapping's entries with YAML merge keys (<<: *anchor) applied; the mapping's own keys win.
    private static IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping)
    {
        var merged = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string key, YamlNode value, bool overwrite)
        {
            if (!merged.ContainsKey(key))
            {
                order.Add(key);
                merged[key] = value;
            }
            else if (overwrite)
            {
                merged[key] = value;
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (Scalar(key) is { } name && name != MergeKey)
            {
                Add(name, value, overwrite: true);
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (Scalar(key) != MergeKey)
            {
                continue;
            }

            var sources = value is YamlSequenceNode list ? list.Children : new[] { value };
            foreach (var source in sources.OfType<YamlMappingNode>())
            {
                foreach (var (inheritedKey, inheritedValue) in Entries(source))
                {
                    Add(inheritedKey, inheritedValue, overwrite: false);
                }
            }
        }

        return order.Select(key => (key, merged[key]));
    }

    private static YamlNode? Child(YamlMappingNode mapping, string name) =>
        Entries(mapping).Where(entry => entry.Key == name).Select(entry => entry.Value).FirstOrDefault();

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;
}
