using Marcel.Core;

namespace Marcel.Cli.Platform;

/// <summary>Chooses the terminal-modes seam per OS.</summary>
internal static class TerminalModes
{
    /// <summary>This process's terminal.</summary>
    public static ITerminalModes Current { get; } = For(ThisSystem.Kind);

    /// <summary>Windows: console modes (<c>SetConsoleMode</c>); every Unix: termios (<c>tcsetattr</c>) with its own layout.</summary>
    public static ITerminalModes For(OsKind os)
    {
        if (os == OsKind.Windows)
        {
            return OperatingSystem.IsWindows() ? new WindowsTerminalModes() : throw new PlatformNotSupportedException("Windows console modes exist only on Windows.");
        }

        return new UnixTerminalModes(os == OsKind.MacOS ? UnixTerminalModes.MacOSLayout : UnixTerminalModes.LinuxLayout);
    }
}
