using System.Runtime.InteropServices;

namespace Marcel.Cli.Platform;

/// <summary>
/// The terminal's modes on Unix, through termios (<c>tcgetattr</c>/<c>tcsetattr</c> on stdin) rather than a child
/// <c>stty</c>: no process to start, and no dependence on a program being on PATH.
/// </summary>
internal sealed partial class UnixTerminalModes(UnixTerminalModes.TermiosLayout layout) : ITerminalModes
{
    /// <summary>
    /// Where <c>c_lflag</c> lies in <c>struct termios</c>, how wide it is, and its line-mode bits (ICANON, ECHO,
    /// IEXTEN), which differ between systems.
    /// </summary>
    internal readonly record struct TermiosLayout(int LocalFlagsOffset, int FlagSize, uint LineModeFlags = 0);

    /// <summary>glibc and musl, every architecture: four 32-bit <c>tcflag_t</c> before <c>c_lflag</c>'s end; ICANON 0x2, ECHO 0x8, IEXTEN 0x8000.</summary>
    public static readonly TermiosLayout LinuxLayout = new(LocalFlagsOffset: 12, FlagSize: 4, LineModeFlags: 0x800A);

    /// <summary>macOS: <c>tcflag_t</c> is an <c>unsigned long</c>, 64 bits; ICANON 0x100, ECHO 0x8, IEXTEN 0x400.</summary>
    public static readonly TermiosLayout MacOSLayout = new(LocalFlagsOffset: 24, FlagSize: 8, LineModeFlags: 0x508);

    private byte[]? _beforeLineModeOff;

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

    /// <summary>
    /// .NET clears ICANON and ECHO only while a key read is pending, then puts back the modes it found. Keys that
    /// arrive between two reads, as much of a paste does on a busy machine, met a canonical tty: echoed by the tty,
    /// and held in its line buffer of 4,095 characters, the rest dropped (a 100,000-character paste arrived as 38,047).
    /// Off for the session, .NET finds them off and keeps them so; at exit .NET restores the modes of its start.
    /// </summary>
    public bool SetLineMode(bool on)
    {
        Span<byte> termios = stackalloc byte[TermiosBufferSize];
        termios.Clear();
        if (on)
        {
            if (_beforeLineModeOff is null) return false;
            _beforeLineModeOff.CopyTo(termios);
            _beforeLineModeOff = null;
            return SetAttributes(StdinFileno, TcsaNow, termios) == 0;
        }

        if (_beforeLineModeOff is not null || layout.LineModeFlags == 0 || GetAttributes(StdinFileno, termios) != 0)
        {
            return false;
        }

        byte[] saved = termios.ToArray();
        WithoutLineMode(termios, layout);
        if (SetAttributes(StdinFileno, TcsaNow, termios) != 0) return false;
        _beforeLineModeOff = saved;
        return true;
    }

    /// <summary>Clears ICANON, ECHO and IEXTEN in the <c>c_lflag</c> of a raw <c>struct termios</c>: pure, tested on its own.</summary>
    internal static void WithoutLineMode(Span<byte> termios, TermiosLayout layout)
    {
        // The bits sit in the low 32 bits on both systems, which are little-endian here (x64, arm64).
        Span<byte> flags = termios.Slice(layout.LocalFlagsOffset, 4);
        uint value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(flags);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(flags, value & ~layout.LineModeFlags);
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
