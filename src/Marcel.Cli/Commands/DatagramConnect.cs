using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;
using Marcel.Core.Resources;
using Marcel.Core.Transport;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel connect --udp</c>: the chapter's client over datagrams.</summary>
internal static class DatagramConnect
{
    public static readonly Option<bool> Udp = new("--udp") { Description = DatagramHelp.ConnectUdpDescription };

    public static readonly Option<int> MaxDatagram = DatagramServe.MaxDatagramOption();

    /// <summary>
    /// Refuses <c>--udp --tls</c> (the user would believe the datagrams encrypted, and nothing here encrypts them), and
    /// what the other mode would ignore in silence: <c>--max-datagram</c> over TCP; over UDP the connection timeout and
    /// the flush delay of a byte stream (<paramref name="timeout"/>, <paramref name="flushDelay"/>) and the search for
    /// announced servers (UDP connects to the address given).
    /// </summary>
    public static void AddChecks(Command command, Option timeout, Option flushDelay)
    {
        command.Validators.Add(result =>
        {
            if (!result.GetValue(Udp))
            {
                if (result.IsGiven(MaxDatagram)) result.AddError(DatagramHelp.MaxDatagramNeedsUdp);
                return;
            }

            if (result.GetValue(TlsConnectOptions.Tls))
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, DatagramHelp.TlsNotOverUdp, Udp.Name));
            }

            if (result.IsGiven(timeout)) result.AddError(DatagramHelp.TimeoutNotOverUdp);
            if (result.IsGiven(flushDelay)) result.AddError(DatagramHelp.FlushDelayNotOverUdp);
            foreach (Option option in new Option[] { ConnectDiscovery.TrustAnnounced, DiscoveryStack.Mdns })
            {
                if (result.IsGiven(option)) result.AddError(string.Format(CultureInfo.CurrentCulture, DatagramHelp.DiscoveryNotOverUdp, option.Name));
            }
        });
    }

    /// <summary>Sends each line as a datagram and shows the answers until FIN, the server's goodbye, or "no server".</summary>
    public static async Task<int> RunAsync(ParseResult parse, string host, int port, ClientOptions options)
    {
        string address = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]:{port}" : $"{host}:{port}";
        bool verbose = parse.GetValue(CommonOptions.Verbose);
        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        DatagramSocket socket;
        try
        {
            socket = await DatagramSocket.ConnectAsync(host, port, new DatagramOptions { MaxDatagramBytes = parse.GetValue(MaxDatagram) }, signal.Token);
        }
        catch (SocketException e)
        {
            string reason = e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain ? Strings.ConnectUnknownHost : e.Message;
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, Strings.ConnectFailed, address, reason));
            return ExitCodes.CannotConnect;
        }
        catch (OperationCanceledException)
        {
            return signal.InterruptedExitCode;
        }

        await using var connection = new DatagramConnection(socket, options.Lines.Ending)
        {
            Sent = verbose ? bytes => terminal.WriteError(Format(DatagramStrings.DatagramSent, bytes)) : null,
            Received = bytes => Show(terminal, verbose, bytes, socket.Options.MaxDatagramBytes),
        };
        terminal.WriteLine(Format(DatagramStrings.DatagramsTo, address));
        terminal.SetPrompt("C> ");
        ClientEnd end;
        try
        {
            end = await DialogueClient.RunAsync(connection, new DatagramUser(terminal, connection, options.Lines.MaxLineBytes), options, cancellationToken: signal.Token);
        }
        catch (OperationCanceledException) when (signal.Token.IsCancellationRequested)
        {
            terminal.WriteLine(Strings.ConnectionInterrupted);
            return signal.InterruptedExitCode;
        }

        if (connection.Unreachable)
        {
            terminal.WriteError(Format(DatagramStrings.NoServerAt, address));
            return ExitCodes.CannotConnect;
        }

        if (end == ClientEnd.InputEnded && connection.DatagramsReceived == 0)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DatagramStrings.NoAnswer, address, options.WaitAfterInput.TotalSeconds));
            return ExitCodes.CannotConnect;
        }

        terminal.WriteLine(Strings.ConnectionInterrupted);
        return ExitCodes.Success;
    }

    private static void Show(ConsoleTerminal terminal, bool verbose, int bytes, int maxBytes)
    {
        if (bytes < 0)
        {
            terminal.WriteError(Format(DatagramStrings.ServerTooLongDatagram, maxBytes));
        }
        else if (verbose)
        {
            terminal.WriteError(Format(DatagramStrings.DatagramReceived, bytes));
        }
    }

    private static string Format(string format, object argument) => string.Format(CultureInfo.CurrentCulture, format, argument);

    /// <summary>The user, with lines too long for one datagram refused whole (one line on stderr) instead of sent cut.</summary>
    private sealed class DatagramUser(ConsoleTerminal terminal, DatagramConnection connection, int maxLineBytes) : IDialogueUser
    {
        private readonly ConsoleDialogueUser _user = new(terminal, maxLineBytes, static () => { });

        public void ServerMessage(string message) => _user.ServerMessage(message);

        public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (await _user.ReadLineAsync(cancellationToken) is { } line)
            {
                int bytes = connection.ByteCount(line);
                if (bytes <= connection.MaxDatagramBytes)
                {
                    return line;
                }

                terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DatagramStrings.LineTooLongForDatagram, bytes, connection.MaxDatagramBytes));
            }

            return null;
        }
    }
}
