using System.Globalization;
using System.Net;
using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;
using Marcel.Core.Resources;

namespace Marcel.Cli.Commands;

/// <summary>The dialogue server's operator at the console: the chapter's messages, <c>C&gt;</c> lines, typed replies.</summary>
internal sealed class ConsoleDialogueOperator(ConsoleTerminal terminal, int maxLineBytes, TimeSpan? idleTimeout = null) : IDialogueOperator
{
    private const string ReplyPrompt = "S> ";

    /// <summary>True when the server listens for datagrams (<c>serve --udp</c>): its listening line says UDP.</summary>
    public bool OverUdp { get; init; }

    public void Listening(IReadOnlyList<IPEndPoint> endpoints) =>
        terminal.WriteLine(Format(Strings.ServerListening, ListeningEndPoints.Join(endpoints, OverUdp ? endpoints.Count : 0)));

    public void Ready() => terminal.WriteLine(Strings.ServerReady);

    public void ClientWaiting(EndPoint? remote, int position) =>
        terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, Strings.ClientWaiting, remote, position));

    public void ClientConnected(EndPoint? remote)
    {
        (string address, string port) = remote is IPEndPoint ip ? (ip.Address.ToString(), ip.Port.ToString(CultureInfo.InvariantCulture)) : (remote?.ToString() ?? "?", "?");
        terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, Strings.ClientConnected, address, port));
        terminal.SetPrompt(ReplyPrompt);
    }

    public void ClientMessage(string message) => terminal.WriteLine("C> " + SafeText.ForTerminal(message));

    public void ConversationEnded(EndPoint? remote, ConversationEnd reason)
    {
        terminal.SetPrompt(string.Empty);
        terminal.WriteLine(Strings.ConnectionInterrupted + " (" + Describe(reason, maxLineBytes, idleTimeout) + ")");
    }

    public void ReplyTooLong(int maxBytes) => terminal.WriteError(Format(DatagramStrings.ReplyTooLong, maxBytes));

    public void ClientTurnedAway(EndPoint? remote) => terminal.WriteLine(Format(DatagramStrings.TurnedAway, remote?.ToString() ?? "?"));

    public void NobodyListening() => terminal.WriteLine(Strings.NobodyListening);

    public void WaitingClientsDropped(int count) => terminal.WriteLine(count == 1 ? Strings.WaitingClientsClosedOne : Format(Strings.WaitingClientsClosed, count));

    public ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken) => terminal.ReadLineAsync(cancellationToken);

    public async ValueTask<bool> AskRestartAsync(CancellationToken cancellationToken)
    {
        terminal.Ask(Strings.RestartQuestion);
        string? answer = await terminal.ReadLineAsync(cancellationToken);
        if (terminal.IsInteractive)
        {
            terminal.SetPrompt(string.Empty);
        }
        else
        {
            terminal.WriteLine(answer ?? string.Empty);
        }

        // As in the chapter, only T(erminer) stops; Q(uit) too for English speakers, and so does the end of input.
        string choice = answer?.Trim() ?? "T";
        return !(choice.StartsWith('T') || choice.StartsWith('t') || choice.StartsWith('Q') || choice.StartsWith('q'));
    }

    private static string Describe(ConversationEnd reason, int maxLineBytes, TimeSpan? idleTimeout) => reason switch
    {
        ConversationEnd.ClientSilent => Format(DatagramStrings.EndClientSilent, idleTimeout?.TotalSeconds ?? 0),
        ConversationEnd.ClientFarewell => Strings.EndClientFarewell,
        ConversationEnd.ClientHungUp => Strings.EndClientHungUp,
        ConversationEnd.ClientTooLong => Format(Strings.EndClientTooLong, maxLineBytes),
        ConversationEnd.Operator => Strings.EndOperator,
        _ => Strings.EndShutdown,
    };

    private static string Format(string format, object argument) => string.Format(CultureInfo.CurrentCulture, format, argument);
}
