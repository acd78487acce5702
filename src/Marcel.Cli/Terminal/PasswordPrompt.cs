using System.Text;

namespace Marcel.Cli.Terminal;

/// <summary>Asks for a secret on the terminal without echoing it.</summary>
internal static class PasswordPrompt
{
    /// <summary>Writes <paramref name="prompt"/> on stderr and reads keys until Enter; null when stdin is not a terminal.</summary>
    public static string? Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return null;
        }

        Console.Error.Write(prompt);
        var secret = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
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

        Console.Error.WriteLine();
        return secret.ToString();
    }
}
