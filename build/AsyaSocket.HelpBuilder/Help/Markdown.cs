using System.Text.RegularExpressions;

namespace AsyaSocket.HelpBuilder;

/// <summary>A block of markdown body text: a paragraph (lines without a blank one) or a fenced code block.</summary>
public abstract record MarkdownBlock(IReadOnlyList<string> Lines);

/// <summary>A paragraph, list or table: consecutive non-blank lines.</summary>
public sealed record MarkdownParagraph(IReadOnlyList<string> Lines) : MarkdownBlock(Lines);

/// <summary>A fenced code block without its fences.</summary>
public sealed record MarkdownCode(string Language, IReadOnlyList<string> Lines) : MarkdownBlock(Lines);

/// <summary>A heading and what follows it up to the next heading of the same or a higher level.</summary>
public sealed class MarkdownSection
{
    /// <summary>Creates a section.</summary>
    public MarkdownSection(int level, string heading, int line)
    {
        Level = level;
        Heading = heading;
        Line = line;
    }

    /// <summary>1 for #, 2 for ##; 0 for the document itself.</summary>
    public int Level { get; }

    /// <summary>The heading text.</summary>
    public string Heading { get; }

    /// <summary>The 1-based line of the heading.</summary>
    public int Line { get; }

    /// <summary>The lines between the heading and its first sub-heading.</summary>
    public List<string> Body { get; } = new();

    /// <summary>Sub-sections.</summary>
    public List<MarkdownSection> Children { get; } = new();

    /// <summary>The body as paragraphs and code blocks.</summary>
    public IReadOnlyList<MarkdownBlock> Blocks => Markdown.Blocks(Body);

    /// <summary>The body text, trimmed.</summary>
    public string Text => string.Join("\n", Body).Trim();

    /// <summary>The first sub-section with this heading (case-insensitive), or null.</summary>
    public MarkdownSection? Child(string heading) =>
        Children.FirstOrDefault(child => string.Equals(child.Heading, heading, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A markdown file: its YAML front matter and its sections.</summary>
public sealed class MarkdownDocument
{
    /// <summary>Creates a document.</summary>
    public MarkdownDocument(IReadOnlyDictionary<string, string>? frontMatter, MarkdownSection root)
    {
        FrontMatter = frontMatter;
        Root = root;
    }

    /// <summary>The key: value lines between the leading --- lines; null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? FrontMatter { get; }

    /// <summary>The level-0 section holding the # sections.</summary>
    public MarkdownSection Root { get; }
}

/// <summary>Just enough markdown for platyPS files: front matter, ATX headings, fenced code, paragraphs, links.</summary>
public static partial class Markdown
{
    /// <summary>Parses <paramref name="text"/>; headings inside fenced code are text.</summary>
    public static MarkdownDocument Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        Dictionary<string, string>? frontMatter = null;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (index = 1; index < lines.Length && lines[index].Trim() != "---"; index++)
            {
                var colon = lines[index].IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    frontMatter[lines[index][..colon].Trim()] = lines[index][(colon + 1)..].Trim();
                }
            }

            index++;
        }

        var root = new MarkdownSection(0, string.Empty, 0);
        var stack = new Stack<MarkdownSection>();
        stack.Push(root);
        string? fence = null;
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            if (fence is null && HeadingPattern().Match(line) is { Success: true } heading)
            {
                var level = heading.Groups[1].Value.Length;
                while (stack.Peek().Level >= level)
                {
                    stack.Pop();
                }

                var section = new MarkdownSection(level, heading.Groups[2].Value.Trim(), index + 1);
                stack.Peek().Children.Add(section);
                stack.Push(section);
                continue;
            }

            fence = NextFence(fence, line);
            stack.Peek().Body.Add(line);
        }

        return new MarkdownDocument(frontMatter, root);
    }

    /// <summary>Splits body lines into paragraphs and fenced code blocks; blank lines separate paragraphs.</summary>
    public static IReadOnlyList<MarkdownBlock> Blocks(IEnumerable<string> lines)
    {
        var blocks = new List<MarkdownBlock>();
        var current = new List<string>();
        string? fence = null;
        var language = string.Empty;
        foreach (var line in lines)
        {
            if (fence is null)
            {
                var opening = FencePattern().Match(line);
                if (opening.Success)
                {
                    Flush();
                    fence = opening.Groups[1].Value;
                    language = opening.Groups[2].Value.Trim();
                    continue;
                }

                if (line.Trim().Length == 0)
                {
                    Flush();
                }
                else
                {
                    current.Add(line.TrimEnd());
                }
            }
            else if (line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0)
            {
                blocks.Add(new MarkdownCode(language, current.ToList()));
                current.Clear();
                fence = null;
            }
            else
            {
                current.Add(line.TrimEnd());
            }
        }

        if (fence is not null)
        {
            blocks.Add(new MarkdownCode(language, current.ToList()));
        }
        else
        {
            Flush();
        }

        return blocks;

        void Flush()
        {
            if (current.Count > 0)
            {
                blocks.Add(new MarkdownParagraph(current.ToList()));
                current.Clear();
            }
        }
    }

    /// <summary>True for a list item line: "- x", "* x", "1. x".</summary>
    public static bool IsListItem(string line) => ListItemPattern().IsMatch(line);

    /// <summary>
    /// A paragraph as plain help text: lines joined with spaces, except that list items and table rows stay
    /// on lines of their own (an item's indented continuation lines join the item); links become their text.
    /// </summary>
    public static string PlainText(IReadOnlyList<string> lines)
    {
        var output = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var ownLine = IsListItem(raw) || line.StartsWith('|');
            if (output.Count == 0 || ownLine)
            {
                output.Add(line);
            }
            else
            {
                output[^1] += " " + line;
            }
        }

        return Links(string.Join("\n", output));
    }

    /// <summary>Replaces [text](target) by text, or by "text (target)" for web addresses.</summary>
    public static string Links(string text) => LinkPattern().Replace(text, match =>
        match.Groups[2].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase)
            ? $"{match.Groups[1].Value} ({match.Groups[2].Value})"
            : match.Groups[1].Value);

    /// <summary>Every [text](target) on the line.</summary>
    public static IEnumerable<(string Text, string Target)> LinksIn(string line) =>
        LinkPattern().Matches(line).Select(match => (match.Groups[1].Value, match.Groups[2].Value));

    private static string? NextFence(string? fence, string line)
    {
        if (fence is null)
        {
            var opening = FencePattern().Match(line);
            return opening.Success ? opening.Groups[1].Value : null;
        }

        return line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0 ? null : fence;
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^\s{0,3}(```+|~~~+)\s*([^`]*)$")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^\s*([-*+]|\d+[.)])\s+")]
    private static partial Regex ListItemPattern();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]*)\)")]
    private static partial Regex LinkPattern();
}
