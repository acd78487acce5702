using System.Runtime.InteropServices;

namespace Marcel.Cli.Platform;

/// <summary>
/// The terminal's modes on Unix, through termios (<c>tcgetattr</c>/<c>tcsetattr</c> on stdin) rather than a child
/// <c>stty</c>: no process to start, and no dependence on a program being on PATH.
/// </summary>
internal sealed partial class UnixTerminalModes(UnixTerminalModes.TermiosLayout layout) : ITerminalModes
{
    /// <summary>Where <c>c_lflag</c> lies in <c>struct termios</c>, and how wide it is.</summary>
    internal readonly record struct TermiosLayout(int LocalFlagsOffset, int FlagSize);

    /// <summary>glibc and musl, every architecture: four 32-bit <c>tcflag_t</c> before <c>c_lflag</c>'s end.</summary>
    public static readonly TermiosLayout LinuxLayout = new(LocalFlagsOffset: 12, FlagSize: 4);

    /// <summary>macOS: <c>tcflag_t</c> is an <c>unsigned long</c>, 64 bits.</summary>
    public static readonly TermiosLayout MacOSLayout = new(LocalFlagsOffset: 24, FlagSize: 8);

    private const int StdinFileno = 0;
    private const int TcsaNow = 0;
    private const uint Echo = 0x8; // ECHO, 0000010 octal on Linux and macOS alike
    private const int TermiosBufferSize = 256; // larger than struct termios on either system (60 and 72 bytes)

    public bool SetEcho(bool on)
    {
        Span<byte> termios = stackalloc byte[TermiosBufferSize];
        termios.Clear();
        if (GetAttributes(StdinFileno, termios) != 0)
        {
            return false; // not a terminal
        }

        WithEcho(termios, layout, on);
        return SetAttributes(StdinFileno, TcsaNow, termios) == 0;
    }

    // Unix terminals interpret VT sequences natively.
    public void EnableEscapeSequences()
    {
    }

    /// <summary>Sets or clears <c>ECHO</c> in the <c>c_lflag</c> of a raw <c>struct termios</c>: pure, tested on its own.</summary>
    internal static void WithEcho(Span<byte> termios, TermiosLayout layout, bool on)
    {
        Span<byte> flags = termios.Slice(layout.LocalFlagsOffset, layout.FlagSize);
        // ECHO sits in the low byte, and both systems here are little-endian (x64, arm64).
        flags[0] = on ? (byte)(flags[0] | Echo) : (byte)(flags[0] & ~Echo);
    }

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int GetAttributes(int fd, Span<byte> termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int SetAttributes(int fd, int optionalActions, ReadOnlySpan<byte> termios);
}
