using System.Runtime.Versioning;
using System.Text;
using Marcel.Core;

namespace Marcel.Cli.Platform;

/// <summary>
/// The text encoding of stdin, stdout and stderr, chosen per OS so that text is UTF-8 on pipes whatever the console:
/// Windows would otherwise read and write pipes in the console's code page (<c>é</c> piped in reached the network as
/// <c>Ã©</c>). The network side is UTF-8 on every system already; this is the console side.
/// </summary>
internal static class ConsoleEncoding
{
    /// <summary>The environment variable by which the user names another encoding for pipes and files.</summary>
    public const string Variable = "MARCEL_CONSOLE_ENCODING";

    /// <summary>The value of <see cref="Variable"/> that keeps the system's own choice (the console's code page on Windows).</summary>
    public const string SystemChoice = "console";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly UnicodeEncoding Utf16 = new(bigEndian: false, byteOrderMark: false);

    /// <summary>What Marcel's own stdout writers use (the chat room's buffered console): UTF-8 unless the console needs otherwise.</summary>
    public static Encoding Output { get; private set; } = Utf8;

    /// <summary>
    /// The encoding of a redirected stream (pipe or file): <paramref name="setting"/> if the user gave one (any name
    /// .NET knows: utf-8, utf-16, latin1, us-ascii…), the system's own for <see cref="SystemChoice"/>, else UTF-8 on
    /// Windows and the locale's (<c>LANG</c>, UTF-8 nearly everywhere) on Unix. Null: leave the runtime's choice.
    /// False when <paramref name="setting"/> names no encoding.
    /// </summary>
    public static bool TryChooseForRedirected(OsKind os, string? setting, out Encoding? encoding)
    {
        encoding = null;
        if (string.IsNullOrWhiteSpace(setting))
        {
            encoding = os == OsKind.Windows ? Utf8 : null;
            return true;
        }

        if (string.Equals(setting.Trim(), SystemChoice, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            encoding = WithoutByteOrderMark(Encoding.GetEncoding(setting.Trim()));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The encoding of an interactive console: on Windows UTF-16, with which .NET talks to the console through its
    /// Unicode API (<c>ReadConsoleW</c>/<c>WriteConsoleW</c>), so <c>é</c>, <c>€</c> and emoji show and are read
    /// whatever the code page, and the code page the user's shell has is left alone. Null on Unix: the terminal's locale.
    /// </summary>
    public static Encoding? ForConsole(OsKind os) => os == OsKind.Windows ? Utf16 : null;

    // A stream's writer would start with the byte-order mark of these: neither a pipe nor the console wants one.
    private static Encoding WithoutByteOrderMark(Encoding encoding) => encoding.CodePage switch
    {
        65001 => Utf8,
        1200 => Utf16,
        1201 => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
        12000 => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
        12001 => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        _ => encoding,
    };

    /// <summary>
    /// Applies both choices to this process's standard streams. Returns the value of <see cref="Variable"/> when it names
    /// no encoding (nothing is changed then), else null.
    /// </summary>
    public static string? Apply()
    {
        string? setting = Environment.GetEnvironmentVariable(Variable);
        if (!TryChooseForRedirected(ThisSystem.Kind, setting, out Encoding? redirected))
        {
            return setting;
        }

        if (OperatingSystem.IsWindows())
        {
            UseUnicodeConsole();
        }

        if (redirected is not null)
        {
            if (Console.IsInputRedirected)
            {
                Console.SetIn(new StreamReader(Console.OpenStandardInput(), redirected, detectEncodingFromByteOrderMarks: true));
            }

            if (Console.IsOutputRedirected)
            {
                Console.SetOut(new StreamWriter(Console.OpenStandardOutput(), redirected) { AutoFlush = true });
                Output = redirected;
            }

            if (Console.IsErrorRedirected)
            {
                Console.SetError(new StreamWriter(Console.OpenStandardError(), redirected) { AutoFlush = true });
            }
        }

        return null;
    }

    // Set before the redirected writers above: changing Console.OutputEncoding resets the console's own writers.
    [SupportedOSPlatform("windows")]
    private static void UseUnicodeConsole()
    {
        Encoding unicode = ForConsole(OsKind.Windows)!;
        if (!Console.IsInputRedirected)
        {
            Console.InputEncoding = unicode;
        }

        if (!Console.IsOutputRedirected || !Console.IsErrorRedirected)
        {
            Console.OutputEncoding = unicode;
        }

        if (!Console.IsOutputRedirected)
        {
            Output = unicode;
        }
    }
}
