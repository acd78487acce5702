using System.Runtime.InteropServices;

namespace Marcel.Cli;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation token, so every command shuts down through its own
/// graceful path instead of the process being killed, and remembers which signal came for the exit code.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received;

    public TerminationSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Fires on the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The exit code a client uses when a signal stopped it: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int InterruptedExitCode => _received == (int)PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command finishes its shutdown and returns its own exit code.
        context.Cancel = true;
        Interlocked.CompareExchange(ref _received, (int)context.Signal, 0);
        _source.Cancel();
    }
}
