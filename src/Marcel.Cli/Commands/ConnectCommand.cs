using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
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
    private static readonly Argument<string> Host = new("host")
    {
        Description = CliStrings.ConnectHostDescription,
        DefaultValueFactory = _ => "localhost",
    };

    private static readonly Argument<int> Port = new("port")
    {
        Description = CliStrings.ConnectPortDescription,
        DefaultValueFactory = _ => CommonOptions.DefaultPort,
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
        Port.Validators.Add(result =>
        {
            int port = result.GetValueOrDefault<int>();
            if (port is < 1 or > 65535)
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, CliStrings.InvalidPort, 1));
            }
        });
        var command = new Command("connect", CliStrings.ConnectDescription)
        {
            Host, Port, Timeout, Wait, MaxLine, FlushDelay, Ending, DatagramConnect.Udp, DatagramConnect.MaxDatagram,
        };
        TlsConnectOptions.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        string host = parse.GetValue(Host)!;
        int port = parse.GetValue(Port);
        var options = new ClientOptions
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Max(0.001, parse.GetValue(Timeout))),
            WaitAfterInput = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(Wait))),
            Lines = CommonOptions.Lines(parse, MaxLine, FlushDelay, Ending),
        };

        if (parse.GetValue(DatagramConnect.Udp))
        {
            return await DatagramConnect.RunAsync(parse, host, port, options);
        }

        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        TcpClientConnection connection;
        try
        {
            connection = await TcpClientConnection.ConnectAsync(host, port, options.ConnectTimeout, TlsConnectOptions.Resolve(parse, terminal), signal.Token);
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
            ClientEnd end;
            try
            {
                end = await DialogueClient.RunAsync(line, new ConsoleDialogueUser(terminal), options, cancellationToken: signal.Token);
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
            _ => e.Message,
        };
        return string.Format(CultureInfo.CurrentCulture, Strings.ConnectFailed, Address(host, port), reason);
    }

    private static string Address(string host, int port) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
}
