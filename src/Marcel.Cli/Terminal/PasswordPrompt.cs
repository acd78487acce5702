using System.Text;
using Marcel.Cli.Platform;

namespace Marcel.Cli.Terminal;

/// <summary>Asks for a secret on the terminal without echoing it.</summary>
internal static class PasswordPrompt
{
    /// <summary>Writes <paramref name="prompt"/> on stderr and reads keys until Enter; null when stdin is not a terminal.</summary>
    public static string? Ask(string prompt) =>
        Console.IsInputRedirected ? null : Ask(prompt, TerminalModes.Current, Console.Error, () => Console.ReadKey(intercept: true));

    /// <summary>
    /// The prompt over any terminal seam, prompt writer and key source: echo goes off before the prompt shows (.NET
    /// turns it off only inside ReadKey, and a password pasted or typed between the prompt and that call would be
    /// echoed by the terminal), and comes back on afterwards if it was turned off.
    /// </summary>
    internal static string Ask(string prompt, ITerminalModes terminal, TextWriter error, Func<ConsoleKeyInfo> readKey)
    {
        bool echoWasTurnedOff = terminal.SetEcho(false);
        try
        {
            error.Write(prompt);
            error.Flush();
            return ReadSecret(readKey);
        }
        finally
        {
            error.WriteLine();
            if (echoWasTurnedOff)
            {
                terminal.SetEcho(true);
            }
        }
    }

    private static string ReadSecret(Func<ConsoleKeyInfo> readKey)
    {
        var secret = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = readKey();
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        return secret.ToString();
    }
}
