namespace AsyaSocket.Core.Sockets;

/// <summary>
/// Go's <c>filepath.Base</c> on Unix, which the sidecar applies to queue names. .NET's
/// <c>Path.GetFileName</c> differs (it returns "" for "a/"), so this is reproduced exactly:
/// only '/' separates, trailing slashes are stripped, "" gives ".", all slashes give "/".
/// </summary>
public static class GoPathBase
{
    /// <summary>The last element of <paramref name="path"/>, with Go's semantics.</summary>
    public static string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return ".";
        }

        var end = path.Length;
        while (end > 0 && path[end - 1] == '/')
        {
            end--;
        }

        if (end == 0)
        {
            return "/";
        }

        var start = path.LastIndexOf('/', end - 1) + 1;
        return path[start..end];
    }
}
