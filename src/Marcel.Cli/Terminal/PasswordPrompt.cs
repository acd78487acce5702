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

        // Echo goes off before the prompt shows: .NET turns it off only inside ReadKey, and a password pasted
        // (or typed) between the prompt and that call would be echoed by the terminal driver.
        bool echoWasOff = SetTerminalEcho(false);
        try
        {
            Console.Error.Write(prompt);
            return ReadSecret();
        }
        finally
        {
            Console.Error.WriteLine();
            if (echoWasOff)
            {
                SetTerminalEcho(true);
            }
        }
    }

    private static string ReadSecret()
    {
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

        return secret.ToString();
    }

    /// <summary>Runs <c>stty [-]echo</c> on our terminal (the child inherits stdin); false when stty is not there.</summary>
    private static bool SetTerminalEcho(bool on)
    {
        try
        {
            using var stty = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stty", on ? "echo" : "-echo") { UseShellExecute = false });
            stty?.WaitForExit(2000);
            return stty is { HasExited: true, ExitCode: 0 };
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
