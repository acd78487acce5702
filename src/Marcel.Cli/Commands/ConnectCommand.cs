using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;
using Marcel.Core.Framing;
using Marcel.Core.Resources;
using Marcel.Core.Transport;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel connect</c>: the chapter's client.</summary>
internal static class ConnectCommand
{
    // No DefaultValueFactory on these two: the root help glued "[host: localhost, port: 50000]" onto the last example.
    private static readonly Argument<string> Host = new("host")
    {
        Description = CliStrings.ConnectHostDescription,
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static readonly Argument<int> Port = new("port")
    {
        Description = CliStrings.ConnectPortDescription,
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = ValueParsers.Parser("port", null, CommonOptions.PortAccepts(1), text => CommonOptions.ParsePort(text, 1)),
    };

    private static readonly Option<double> Timeout = new("--timeout", "-w")
    {
        Description = CliStrings.TimeoutDescription,
        DefaultValueFactory = _ => new ClientOptions().ConnectTimeout.TotalSeconds,
        HelpName = "seconds",
    };

    private static readonly Option<double> Wait = new("--wait")
    {
        Description = CliStrings.WaitDescription,
        DefaultValueFactory = _ => new ClientOptions().WaitAfterInput.TotalSeconds,
        HelpName = "seconds",
    };

    private static readonly Option<int> MaxLine = CommonOptions.MaxLine();
    private static readonly Option<int> FlushDelay = CommonOptions.FlushDelay();
    private static readonly Option<LineEnding> Ending = CommonOptions.LineEnding();

    public static Command Create()
    {
        var command = new Command("connect", CliStrings.ConnectDescription)
        {
            Host, Port, Timeout, Wait, MaxLine, FlushDelay, Ending, DatagramConnect.Udp, DatagramConnect.MaxDatagram,
        };
        command.Validators.Add(ValidateAddress);
        DatagramConnect.AddChecks(command, Timeout, FlushDelay);
        TlsConnectOptions.AddTo(command);
        ConnectDiscovery.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        (string requestedHost, int port) = Address(parse);
        string? requested = parse.GetValue(Host) is null ? null : requestedHost; // None given: discovery may choose.
        var options = new ClientOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(0.001, parse.GetValue(Timeout))),
            WaitAfterInput = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(Wait))),
            Lines = CommonOptions.Lines(parse, MaxLine, FlushDelay, Ending),
        };

        if (parse.GetValue(DatagramConnect.Udp))
        {
            return await DatagramConnect.RunAsync(parse, requestedHost, port, options);
        }

        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        signal.BeforeShutdown(() => terminal.EndInputLine(signal.HungUp));
        TcpClientConnection connection;
        // No host, or an announced instance's name: the server found on the LAN (ConnectDiscovery).
        (string host, port, Core.Security.TlsClientOptions? tls, int? notFound) = await ConnectDiscovery.ResolveAsync(parse, requested, port, TlsConnectOptions.Resolve(parse, terminal), terminal, signal.Token);
        if (notFound is { } exit)
        {
            return exit == ExitCodes.Interrupted ? signal.InterruptedExitCode : exit;
        }

        try
        {
            connection = await TcpClientConnection.ConnectAsync(host, port, options.ConnectTimeout, tls, signal.Token);
        }
        catch (Core.Security.TlsHandshakeException e)
        {
            terminal.WriteError(TlsConnectOptions.Describe(e, host, Address(host, port), options.ConnectTimeout));
            return ExitCodes.Tls;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            terminal.WriteError(DescribeConnectFailure(host, port, e, options.ConnectTimeout));
            return ExitCodes.CannotConnect;
        }
        catch (OperationCanceledException)
        {
            return signal.InterruptedExitCode;
        }

        await using (connection)
        {
            terminal.WriteLine(Strings.Connected);
            terminal.SetPrompt("C> ");
            var line = new LineConnection(connection, options.Lines, connection.RemoteEndPoint);
            // At the end of input (a pipe's end, Ctrl-D) the socket is half-closed, as nc -N does: the server answers
            // and closes at once instead of waiting out --wait.
            var user = new ConsoleDialogueUser(terminal, options.Lines.MaxLineBytes, connection.ShutdownSend);
            ClientEnd end;
            try
            {
                end = await DialogueClient.RunAsync(line, user, options, cancellationToken: signal.Token);
            }
            catch (OperationCanceledException) when (signal.Token.IsCancellationRequested)
            {
                terminal.WriteLine(Strings.ConnectionInterrupted);
                return signal.InterruptedExitCode;
            }

            if (end == ClientEnd.ServerTooLong)
            {
                terminal.WriteError(string.Format(CultureInfo.CurrentCulture, Strings.ServerLineTooLong, options.Lines.MaxLineBytes));
                return ExitCodes.ProtocolError;
            }

            terminal.WriteLine(Strings.ConnectionInterrupted);
            return ExitCodes.Success;
        }
    }

    private static string DescribeConnectFailure(string host, int port, Exception e, TimeSpan timeout)
    {
        string reason = e switch
        {
            TimeoutException => string.Format(CultureInfo.CurrentCulture, Strings.ConnectTimedOut, timeout.TotalSeconds),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => Strings.ConnectRefused,
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => Strings.ConnectUnknownHost,
            SocketException socket => SocketErrorText.Describe(socket),
            _ => e.Message,
        };
        return string.Format(CultureInfo.CurrentCulture, Strings.ConnectFailed, Address(host, port), reason);
    }

    /// <summary>The host and port to connect to, from <c>HOST PORT</c>, <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or the defaults.</summary>
    private static (string Host, int Port) Address(ParseResult parse)
    {
        (string host, string? embedded) = HostPort.Split(parse.GetValue(Host) ?? "localhost");
        int port = embedded is not null ? CommonOptions.ParsePort(embedded, 1) ?? 0 : parse.GetResult(Port) is { Tokens.Count: > 0 } ? parse.GetValue(Port) : CommonOptions.DefaultPort;
        return (host, port);
    }

    private static void ValidateAddress(System.CommandLine.Parsing.CommandResult result)
    {
        if (result.GetResult(Host) is not { Tokens.Count: > 0 } given || HostPort.Split(given.Tokens[0].Value).Port is not { } embedded)
        {
            return;
        }

        if (result.GetResult(Port) is { Tokens.Count: > 0 })
        {
            result.AddError(CliStrings.PortTwice);
        }
        else if (CommonOptions.ParsePort(embedded, 1) is null)
        {
            result.AddError(ValueParsers.Invalid("port", embedded, CommonOptions.PortAccepts(1)));
        }
    }

    private static string Address(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
