using System.Diagnostics;
using RabbitMQ.Client;

namespace AsyaSocket.RabbitMQ;

/// <summary>
/// One AMQP connection shared by a transport's sender and receivers, opened on first use and opened again
/// after it was lost. The client's own automatic recovery is off: a lost connection is reported to whoever
/// used it (a send fails, a receiver reconnects on its own terms), so nothing is retried behind a caller's back.
/// </summary>
internal sealed class RabbitMqConnector : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(4);

    private readonly RabbitMqMeshOptions _options;
    private readonly ConnectionFactory _factory;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _clientName;
    private IConnection? _connection;
    private bool _disposed;

    public RabbitMqConnector(RabbitMqMeshOptions options, string clientName)
    {
        _options = options;
        _clientName = clientName;
        _factory = new ConnectionFactory
        {
            // The URI carries no user info; credentials are set apart so they never sit in a URI the client could print.
            Uri = options.BrokerUri,
            UserName = options.UserName,
            Password = options.Password,
            VirtualHost = options.VirtualHost,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = options.ConnectTimeout,
            HandshakeContinuationTimeout = options.ConnectTimeout,
            ContinuationTimeout = TimeSpan.FromSeconds(30),
            RequestedHeartbeat = TimeSpan.FromSeconds(30),
            ClientProvidedName = clientName,
        };
    }

    public RabbitMqMeshOptions Options => _options;

    /// <summary>How receivers and checks retry: the mesh's attempts, backing off and doubling.</summary>
    public RetryPlan DefaultRetry => new(_options.ConnectAttempts, _options.ConnectBackoff, Doubling: true);

    /// <summary>The open connection, connecting with the mesh's attempts and backoff when there is none.</summary>
    public ValueTask<IConnection> GetAsync(CancellationToken cancellationToken) => GetAsync(DefaultRetry, cancellationToken);

    /// <summary>The open connection, connecting with <paramref name="retry"/> when there is none.</summary>
    public async ValueTask<IConnection> GetAsync(RetryPlan retry, CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is { IsOpen: true })
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsOpen: true } open)
            {
                return open;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }

            _connection = await ConnectAsync(retry, cancellationToken).ConfigureAwait(false);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IConnection> ConnectAsync(RetryPlan retry, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var backoff = retry.Interval;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _factory.CreateConnectionAsync(_clientName, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var mapped = RabbitMqErrors.Connect(error, _options, attempt, Stopwatch.GetElapsedTime(started));
                // Refused credentials or vhost access do not get better by retrying.
                if (mapped.Code != RabbitMqErrorCodes.BrokerUnreachable || attempt >= retry.Attempts)
                {
                    throw mapped;
                }
            }

            await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            if (retry.Doubling)
            {
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_connection is not null)
            {
                try
                {
                    await _connection.CloseAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Closing a connection the broker already dropped has nothing left to do.
                }

                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

/// <summary>How often to try connecting, and how long to wait in between.</summary>
/// <param name="Attempts">Attempts before giving up (at least one).</param>
/// <param name="Interval">The wait after a failed attempt.</param>
/// <param name="Doubling">Whether the wait doubles (up to four seconds) after each failure.</param>
internal sealed record RetryPlan(int Attempts, TimeSpan Interval, bool Doubling);
