using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Marcel.Cli.Platform;

/// <summary>
/// The console's modes on Windows (<c>GetConsoleMode</c>/<c>SetConsoleMode</c>). <c>Console.ReadKey</c> reads input
/// records, which never echo; turning <c>ENABLE_ECHO_INPUT</c> off as well keeps a secret typed ahead of the prompt
/// from being echoed by a line read elsewhere.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed partial class WindowsTerminalModes : ITerminalModes
{
    private const int StdInputHandle = -10;
    private const int StdOutputHandle = -11;
    private const uint EnableEchoInput = 0x0004;
    private const uint EnableVirtualTerminalProcessing = 0x0004; // an output mode: same value, other handle

    public bool SetEcho(bool on) => Update(StdInputHandle, mode => on ? mode | EnableEchoInput : mode & ~EnableEchoInput);

    // ReadKey reads console input records: the console's line mode never holds or echoes them.
    public bool SetLineMode(bool on) => false;

    // Windows Terminal interprets VT sequences by itself; the classic console host (conhost) only once asked.
    public void EnableEscapeSequences() => Update(StdOutputHandle, mode => mode | EnableVirtualTerminalProcessing);

    private static bool Update(int standardHandle, Func<uint, uint> change)
    {
        nint handle = GetStdHandle(standardHandle);
        return GetConsoleMode(handle, out uint mode) && SetConsoleMode(handle, change(mode));
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial nint GetStdHandle(int standardHandle);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GetConsoleMode(nint console, out uint mode);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetConsoleMode(nint console, uint mode);
}
