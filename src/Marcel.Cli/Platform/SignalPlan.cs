using System.Runtime.InteropServices;
using Marcel.Core;

namespace Marcel.Cli.Platform;

/// <summary>One signal a command shuts down on, and how.</summary>
/// <param name="Signal">The signal, as .NET names it on every system.</param>
/// <param name="ExitCode">What an interrupted client exits with: 128 + the Unix signal number.</param>
/// <param name="HoldUntilShutDown">
/// The system ends the process as soon as the handler returns (a Windows console closed, a log-off or shutdown):
/// the handler waits, within a bound, for the command's graceful shutdown.
/// </param>
internal readonly record struct SignalRoute(PosixSignal Signal, int ExitCode, bool HoldUntilShutDown);

/// <summary>Which signals stop a command gracefully, per OS.</summary>
internal static class SignalPlan
{
    /// <summary>How long a Windows close handler holds the process: Windows kills it after 5 s anyway.</summary>
    public static readonly TimeSpan WindowsCloseGrace = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Unix: Ctrl-C (SIGINT), SIGTERM, and SIGHUP (the terminal or the SSH session went away). Windows, where .NET maps
    /// the console's control events onto these names: Ctrl-C (SIGINT), Ctrl-Break (SIGQUIT), the console window closed
    /// (SIGHUP) and log-off or shutdown (SIGTERM); the last two end the process when their handler returns.
    /// SIGQUIT stays the system's on Unix (Ctrl-\ asks for a core dump).
    /// </summary>
    public static IReadOnlyList<SignalRoute> For(OsKind os) => os == OsKind.Windows
        ?
        [
            new(PosixSignal.SIGINT, ExitCodes.Interrupted, HoldUntilShutDown: false),
            new(PosixSignal.SIGQUIT, ExitCodes.Quit, HoldUntilShutDown: false),
            new(PosixSignal.SIGHUP, ExitCodes.HangUp, HoldUntilShutDown: true),
            new(PosixSignal.SIGTERM, ExitCodes.Terminated, HoldUntilShutDown: true),
        ]
        :
        [
            new(PosixSignal.SIGINT, ExitCodes.Interrupted, HoldUntilShutDown: false),
            new(PosixSignal.SIGTERM, ExitCodes.Terminated, HoldUntilShutDown: false),
            new(PosixSignal.SIGHUP, ExitCodes.HangUp, HoldUntilShutDown: false),
        ];
}
