using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;

namespace Marcel.Cli.Commands;

/// <summary>The person behind <c>marcel connect</c>: <c>S&gt;</c> lines out, typed lines in.</summary>
internal sealed class ConsoleDialogueUser(ConsoleTerminal terminal) : IDialogueUser
{
    public void ServerMessage(string message) => terminal.WriteLine("S> " + SafeText.ForTerminal(message));

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => terminal.ReadLineAsync(cancellationToken);
}
