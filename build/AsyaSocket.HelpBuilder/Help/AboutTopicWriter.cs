using System.Text;

namespace AsyaSocket.HelpBuilder;

/// <summary>
/// Turns an about_ topic's markdown into the plain text Get-Help prints (about_Name.help.txt): TOPIC, then each
/// ## section as an upper-case heading with its text indented and wrapped, ### sub-headings indented by two.
/// </summary>
public static class AboutTopicWriter
{
    /// <summary>Where text wraps.</summary>
    public const int Width = 80;

    private const string Indent = "    ";
    private const string CodeIndent = "        ";

    /// <summary>The help text of <paramref name="topic"/>.</summary>
    public static string ToText(AboutHelp topic)
    {
        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(Indent).Append(topic.Name).Append('\n');
        WriteBody(text, topic.Top);
        foreach (var section in topic.Top.Children)
        {
            WriteSection(text, section);
        }

        return text.ToString().TrimEnd() + "\n";
    }

    private static void WriteSection(StringBuilder text, MarkdownSection section)
    {
        text.Append('\n');
        text.Append(section.Level <= 2 ? section.Heading.ToUpperInvariant() : "  " + section.Heading).Append('\n');
        WriteBody(text, section);
        foreach (var child in section.Children)
        {
            WriteSection(text, child);
        }
    }

    private static void WriteBody(StringBuilder text, MarkdownSection section)
    {
        var first = true;
        foreach (var block in section.Blocks)
        {
            if (!first)
            {
                text.Append('\n');
            }

            first = false;
            if (block is MarkdownCode code)
            {
                foreach (var line in code.Lines)
                {
                    text.Append(line.Length == 0 ? string.Empty : CodeIndent + line).Append('\n');
                }

                continue;
            }

            foreach (var line in Markdown.PlainText(block.Lines).Split('\n'))
            {
                if (line.StartsWith('|'))
                {
                    text.Append(Indent).Append(line).Append('\n');
                }
                else if (Markdown.IsListItem(line))
                {
                    var marker = line.IndexOf(' ', StringComparison.Ordinal) + 1;
                    Wrap(text, line[marker..], Indent + line[..marker], Indent + new string(' ', marker));
                }
                else
                {
                    Wrap(text, line, Indent, Indent);
                }
            }
        }
    }

    private static void Wrap(StringBuilder text, string line, string firstIndent, string nextIndent)
    {
        var current = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && current.Length + 1 + word.Length > Width)
            {
                text.Append(current).Append('\n');
                current.Clear().Append(nextIndent);
                empty = true;
            }

            if (!empty)
            {
                current.Append(' ');
            }

            current.Append(word);
            empty = false;
        }

        text.Append(current).Append('\n');
    }
}
