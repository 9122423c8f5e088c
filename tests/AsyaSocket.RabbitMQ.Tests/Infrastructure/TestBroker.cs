using System.Diagnostics;

namespace AsyaSocket.RabbitMQ.Tests;

/// <summary>
/// The private broker the tests use: the one tests/Broker/test-broker.sh started around the run
/// (ASYA_TEST_RABBITMQ_URL), else one this process starts with the same script and stops at exit.
/// Without one, <see cref="SkipReason"/> says why, and the tests skip, unless CI=true, where they run and fail.
/// </summary>
public static class TestBroker
{
    private static readonly Lazy<(Endpoint? Endpoint, string? Reason)> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The broker's URL (with the test user's credentials), its vhost and a rabbitmqctl bound to it.</summary>
    public sealed record Endpoint(string Url, string VirtualHost, string Ctl, int Port);

    /// <summary>Why the broker tests are skipped, or null when they run.</summary>
    public static string? SkipReason
    {
        get
        {
            var reason = Started.Value.Reason;
            return reason is not null && !IsCi ? reason : null;
        }
    }

    /// <summary>The broker; fails the test (with the reason) when there is none.</summary>
    public static Endpoint Current => Started.Value.Endpoint ?? throw new InvalidOperationException(
        "No RabbitMQ test broker: " + Started.Value.Reason + (IsCi ? " (CI=true: the broker tests must run)" : string.Empty));

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static (Endpoint?, string?) Start()
    {
        var url = Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ_URL");
        if (!string.IsNullOrEmpty(url))
        {
            return (FromVariables(name => Environment.GetEnvironmentVariable(name)), null);
        }

        var given = Environment.GetEnvironmentVariable("ASYA_TEST_RABBITMQ_SKIP_REASON");
        if (!string.IsNullOrEmpty(given))
        {
            return (null, given);
        }

        var script = FindScript();
        if (script is null)
        {
            return (null, "tests/Broker/test-broker.sh was not found above the test output");
        }

        var dir = Path.Join(Path.GetTempPath(), "asya-rabbitmq-xunit-" + Guid.NewGuid().ToString("N")[..10]);
        var (code, output) = Run("bash", script, "start", dir);
        if (code != 0 || !File.Exists(Path.Join(dir, "env")))
        {
            TryDelete(dir);
            var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no output";
            return (null, $"no RabbitMQ test broker could be started ({last.Trim()})");
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Run("bash", script, "stop", dir);
            TryDelete(dir);
        };
        var values = File.ReadAllLines(Path.Join(dir, "env"))
            .Select(line => line.StartsWith("export ", StringComparison.Ordinal) ? line[7..] : line)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim('\''));
        return (FromVariables(name => values.GetValueOrDefault(name)), null);
    }

    private static Endpoint FromVariables(Func<string, string?> get) => new(
        get("ASYA_TEST_RABBITMQ_URL")!,
        get("ASYA_TEST_RABBITMQ_VHOST") ?? "/",
        get("ASYA_TEST_RABBITMQ_CTL") ?? "rabbitmqctl",
        int.Parse(get("ASYA_TEST_RABBITMQ_PORT") ?? "5672", System.Globalization.CultureInfo.InvariantCulture));

    private static string? FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Join(dir.FullName, "tests", "Broker", "test-broker.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a command and returns its exit code and its output (stdout and stderr).</summary>
    public static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A test that needs the broker: skipped with the reason when there is none (never in CI).</summary>
public sealed class BrokerFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> from <see cref="TestBroker.SkipReason"/>.</summary>
    public BrokerFactAttribute()
    {
        if (TestBroker.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
