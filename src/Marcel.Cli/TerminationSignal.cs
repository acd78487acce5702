using System.Runtime.InteropServices;

namespace Marcel.Cli;

/// <summary>
/// Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) into a cancellation token, so every command shuts
/// down through its own graceful path (clients get their goodbye) instead of the process being killed, and remembers
/// which signal came for the exit code.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _hangUp;
    private int _received;
    private Action? _first;

    public TerminationSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // Windows has no SIGHUP; .NET maps closing the console window to it there, which is the same event.
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
    }

    /// <summary>Fires on the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the signal was SIGHUP: the terminal is gone, so nothing more should be asked of it.</summary>
    public bool HungUp => _received == (int)PosixSignal.SIGHUP;

    /// <summary>The exit code a client uses when a signal stopped it: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.</summary>
    public int InterruptedExitCode => _received switch
    {
        (int)PosixSignal.SIGTERM => ExitCodes.Terminated,
        (int)PosixSignal.SIGHUP => ExitCodes.HangUp,
        _ => ExitCodes.Interrupted,
    };

    /// <summary>
    /// Runs <paramref name="action"/> when the first signal arrives, before the token fires and shutdown starts
    /// printing (the console ends its input line there).
    /// </summary>
    public void BeforeShutdown(Action action) => _first += action;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _hangUp.Dispose();
        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command finishes its shutdown and returns its own exit code.
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) == 0)
        {
            _first?.Invoke();
        }

        _source.Cancel();
    }
}
