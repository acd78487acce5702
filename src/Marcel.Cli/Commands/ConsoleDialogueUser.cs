using System.Globalization;
using System.Text;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;

namespace Marcel.Cli.Commands;

/// <summary>
/// The person behind <c>marcel connect</c>: <c>S&gt;</c> lines out, typed lines in. A line over the maximum is refused
/// here, before it is sent (the server would cut us off for it); <paramref name="endOfInput"/> runs once the user's
/// input is over, after every line before it was sent.
/// </summary>
internal sealed class ConsoleDialogueUser(ConsoleTerminal terminal, int maxLineBytes, Action endOfInput) : IDialogueUser
{
    public void ServerMessage(string message) => terminal.WriteLine(Speaker(message) + SafeText.ForTerminal(message));

    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (await terminal.ReadLineAsync(cancellationToken) is { } line)
        {
            int bytes = Encoding.UTF8.GetByteCount(line);
            if (bytes <= maxLineBytes)
            {
                return line;
            }

            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, CliStrings.LineNotSent, bytes, maxLineBytes));
        }

        endOfInput();
        return null;
    }

    /// <summary>
    /// "S> " before what the server says, except for a chat room's lines, which already say who speaks:
    /// <c>&lt;bob&gt; hello</c> and the room's <c>* alice joined.</c>
    /// </summary>
    public static string Speaker(string message)
    {
        bool named = message.StartsWith('<') && message.IndexOf("> ", StringComparison.Ordinal) is > 1 and var end
            && !message.AsSpan(1, end - 1).ContainsAny(' ', '<', '>');
        return named || message.StartsWith("* ", StringComparison.Ordinal) ? string.Empty : "S> ";
    }
}
