namespace AsyaSocket.RabbitMQ;

/// <summary>Splits an AMQP URL into the broker address and its credentials, so the password never travels inside a URL.</summary>
public static class RabbitMqUrl
{
    /// <summary>
    /// The broker URL without user info, and the decoded user and password (guest/guest when absent).
    /// A malformed URL fails with a message that does not repeat it (it may hold a password).
    /// </summary>
    public static (Uri Broker, string User, string Password) Split(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) ||
            !(uri.Scheme.Equals("amqp", StringComparison.OrdinalIgnoreCase) || uri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase)) ||
            string.IsNullOrEmpty(uri.Host))
        {
            throw RabbitMqMeshOptions.Invalid("the broker URL is not a valid amqp:// or amqps:// URL");
        }

        var user = "guest";
        var password = "guest";
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? string.Empty : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var defaultPort = uri.Scheme.Equals("amqps", StringComparison.OrdinalIgnoreCase) ? 5671 : 5672;
        var broker = new UriBuilder(uri.Scheme.ToLowerInvariant(), uri.Host, uri.IsDefaultPort || uri.Port < 0 ? defaultPort : uri.Port, uri.AbsolutePath).Uri;
        return (broker, user, password);
    }
}
