using System.Runtime.InteropServices;
using Marcel.Cli.Platform;
using Marcel.Core;

namespace Marcel.Cli;

/// <summary>
/// Turns the signals of <see cref="SignalPlan"/> (Ctrl-C, SIGTERM, SIGHUP the terminal closed; on Windows Ctrl-Break,
/// the console window closed, log-off and shutdown) into a cancellation token, so every command shuts down through
/// its own graceful path (clients get their goodbye) instead of the process being killed, and remembers which signal
/// came for the exit code.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly ManualResetEventSlim _finished = new();
    private readonly IReadOnlyList<SignalRoute> _routes;
    private readonly PosixSignalRegistration[] _registrations;
    private SignalRoute? _received;
    private Action? _first;

    public TerminationSignal()
    {
        _routes = SignalPlan.For(ThisSystem.Kind);
        _registrations = [.. _routes.Select(route => PosixSignalRegistration.Create(route.Signal, OnSignal))];
    }

    /// <summary>Fires on the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the signal was SIGHUP (on Windows: the console closed): the terminal is gone, so nothing more should be asked of it.</summary>
    public bool HungUp => _received?.Signal == PosixSignal.SIGHUP;

    /// <summary>The exit code a client uses when a signal stopped it: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP…</summary>
    public int InterruptedExitCode => _received?.ExitCode ?? ExitCodes.Interrupted;

    /// <summary>
    /// Runs <paramref name="action"/> when the first signal arrives, before the token fires and shutdown starts
    /// printing (the console ends its input line there).
    /// </summary>
    public void BeforeShutdown(Action action) => _first += action;

    public void Dispose()
    {
        // First let a held Windows close handler return: the command is done.
        _finished.Set();
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command finishes its shutdown and returns its own exit code.
        context.Cancel = true;
        SignalRoute route = _routes.First(r => r.Signal == context.Signal);
        bool first;
        lock (_source)
        {
            first = _received is null;
            _received ??= route;
        }

        if (first)
        {
            _first?.Invoke();
        }

        _source.Cancel();
        if (route.HoldUntilShutDown)
        {
            _finished.Wait(SignalPlan.WindowsCloseGrace);
        }
    }
}
