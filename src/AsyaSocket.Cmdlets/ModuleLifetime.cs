using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.InteropServices;
using AsyaSocket.Core.Transport;
using AsyaSocket.Infrastructure;

namespace AsyaSocket;

/// <summary>
/// Module-lifetime hooks: private dependency loading from import on; every listener stopped, and its socket
/// file removed, when the module is removed, pwsh exits, or pwsh is terminated by SIGTERM or SIGHUP.
/// </summary>
public sealed class ModuleLifetime : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static int _hooked;
    private static readonly ConcurrentDictionary<IAsyaReceiver, byte> Tracked = new();
    private static int _opening;
    private static PosixSignalRegistration[]? _signals;

    /// <summary>
    /// Keeps every receiver the module opens until it stops, so a signal stops it too: foreground ones
    /// (Receive-AsyaMessage, Invoke-AsyaFlow) and a job's from before the job is registered.
    /// </summary>
    internal static IAsyaReceiver Open(Func<IAsyaReceiver> listen)
    {
        // The socket file appears inside listen(), before the receiver can be tracked: a signal in that window
        // waits for it (StopEverything), so the file never outlives the process.
        Interlocked.Increment(ref _opening);
        try
        {
            return Track(listen());
        }
        finally
        {
            Interlocked.Decrement(ref _opening);
        }
    }

    private static IAsyaReceiver Track(IAsyaReceiver receiver)
    {
        Tracked[receiver] = 0;
        receiver.Completion.ContinueWith(stopped => Tracked.TryRemove(receiver, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return receiver;
    }

    /// <inheritdoc />
    public void OnImport()
    {
        DependencyLoadContext.Register();
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopEverything();
        }

        // pwsh dies of SIGTERM (docker stop, systemd, a CI timeout) or SIGHUP (its terminal closed) without raising
        // ProcessExit: stop the listeners first, then let the signal take its course (the handlers do not cancel it).
        lock (Gate)
        {
            _signals ??= [
                PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => StopEverything()),
                PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => StopEverything()),
            ];
        }
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AsyaListenerRegistry.StopAll();
        RabbitMqBridge.CloseAll();
        lock (Gate)
        {
            foreach (var signal in _signals ?? [])
            {
                signal.Dispose();
            }

            _signals = null;
        }

        DependencyLoadContext.Unregister();
    }

    private static void StopEverything()
    {
        // A receiver being opened right now is tracked within moments; a broker connect may take longer, and
        // then its own cancellation ends it, so the wait is bounded.
        SpinWait.SpinUntil(() => Volatile.Read(ref _opening) == 0, TimeSpan.FromSeconds(1));
        AsyaListenerRegistry.StopAll();
        RabbitMqBridge.CloseAll();
        foreach (var receiver in Tracked.Keys)
        {
            try
            {
                receiver.Dispose();
            }
            catch (Exception)
            {
                // Shutting down: one receiver that fails to stop must not keep the others' files behind.
            }
        }
    }
}
