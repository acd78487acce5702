using System.CommandLine;
using System.Globalization;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Dialogue;
using Marcel.Core.Hosting;
using Marcel.Core.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve</c>: the chapter's dialogue server.</summary>
internal static class ServeCommand
{
    public static readonly Option<string> Host = new("--host")
    {
        Description = CliStrings.HostDescription,
        DefaultValueFactory = _ => "localhost",
    };

    public static readonly Option<int> Port = CommonOptions.Port(new Option<int>("--port", "-p")
    {
        Description = CliStrings.PortDescription,
        DefaultValueFactory = _ => CommonOptions.DefaultPort,
    }, minimum: 0);

    private static readonly Option<string?> Greeting = new("--greeting") { Description = CliStrings.GreetingDescription };
    private static readonly Option<string> Name = new("--name") { Description = CliStrings.NameDescription, DefaultValueFactory = _ => "Marcel" };
    private static readonly Option<bool> KeepOpen = new("--keep-open", "-k") { Description = CliStrings.KeepOpenDescription };
    private static readonly Option<int> KeepAlive = WithKeepAliveRange(new Option<int>("--keepalive")
    {
        Description = CliStrings.KeepAliveDescription,
        DefaultValueFactory = _ => (int)TcpKeepAlive.Default.Idle.TotalSeconds,
        HelpName = "seconds",
    });

    private static readonly Option<int> MaxLine = CommonOptions.MaxLine();
    private static readonly Option<int> FlushDelay = CommonOptions.FlushDelay();
    private static readonly Option<Core.Framing.LineEnding> Ending = CommonOptions.LineEnding();

    public static Command Create()
    {
        var command = new Command("serve", CliStrings.ServeDescription)
        {
            Host, Port, Greeting, Name, KeepOpen, KeepAlive, MaxLine, FlushDelay, Ending,
        };
        foreach (Option chatOption in ChatServe.Options.Concat(WebServe.Options))
        {
            command.Options.Add(chatOption);
        }

        foreach (Option datagramOption in DatagramServe.Options)
        {
            command.Options.Add(datagramOption);
        }

        WebServe.AddChecks(command, ChatServe.Chat);
        ChatServe.AddChecks(command);
        DatagramServe.AddChecks(command);
        AddChecks(command);

        TlsServeOptions.AddTo(command);
        RedisServe.AddTo(command);
        AnnounceOptions.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(ChatServe.Chat))
        {
            return await ChatServe.RunAsync(parse, parse.GetValue(Host)!, parse.GetValue(Port), parse.GetValue(Name) ?? "Marcel", parse.GetValue(Greeting), CommonOptions.Lines(parse, MaxLine, FlushDelay, Ending));
        }

        var options = new DialogueOptions
        {
            Name = parse.GetValue(Name) ?? "Marcel",
            Greeting = parse.GetValue(Greeting),
            KeepOpen = parse.GetValue(KeepOpen),
            Lines = CommonOptions.Lines(parse, MaxLine, FlushDelay, Ending),
        };

        if (parse.GetValue(DatagramServe.Udp))
        {
            return await DatagramServe.RunDialogueAsync(parse, parse.GetValue(Host)!, parse.GetValue(Port), options);
        }

        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        signal.BeforeShutdown(() => terminal.EndInputLine(signal.HungUp));
        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(CommonOptions.Verbose), terminal);
        var server = new DialogueServer(options, new ConsoleDialogueOperator(terminal, options.Lines.MaxLineBytes), logging.CreateLogger<DialogueServer>());

        if (!TlsServeOptions.TryResolve(parse, terminal, out Core.Security.TlsServerOptions? tls))
        {
            return ExitCodes.Tls;
        }

        TcpServerHost host;
        try
        {
            host = await TcpServerHost.StartAsync(
                parse.GetValue(Host)!, parse.GetValue(Port), server.OnConnectedAsync, logging, tls,
                Limits(parse), signal.Token);
        }
        catch (ServerBindException e)
        {
            terminal.WriteError(DescribeBindFailure(e));
            return ExitCodes.CannotListen;
        }

        await using (host)
        {
            (AnnouncedServer? announced, int? refused) = await AnnounceOptions.StartAsync(
                parse, [(Core.Discovery.MarcelService.TcpType, host.BoundEndPoints)], options.Name, "dialogue", tls, null, terminal, logging, signal.Token);
            await using (announced)
            {
                if (refused is null) await server.RunAsync(host.BoundEndPoints, signal.Token);
            }

            await host.StopAsync();
            return refused ?? ExitCodes.Success;
        }
    }

    /// <summary>
    /// Refuses what the chosen mode would ignore in silence: <c>--keep-open</c> in the room (it never asks to restart),
    /// and over <c>--udp</c> the TCP keepalive and the flush delay of a byte stream (a datagram is a whole message).
    /// </summary>
    private static void AddChecks(Command command)
    {
        command.Validators.Add(result =>
        {
            if (result.IsGiven(KeepOpen) && result.GetValue(ChatServe.Chat))
            {
                result.AddError(ChatHelp.KeepOpenNotWithChat);
            }

            if (result.GetValue(DatagramServe.Udp))
            {
                if (result.IsGiven(KeepAlive)) result.AddError(DatagramHelp.KeepAliveNotOverUdp);
                if (result.IsGiven(FlushDelay)) result.AddError(DatagramHelp.FlushDelayNotOverUdp);
            }
        });
    }

    /// <summary>The connection limits common to dialogue and chat: the keepalive of <c>--keepalive</c>, the "busy" line.</summary>
    public static ServerLimits Limits(ParseResult parse)
    {
        int seconds = parse.GetValue(KeepAlive);
        return new ServerLimits
        {
            KeepAlive = seconds == 0 ? null : new TcpKeepAlive(TimeSpan.FromSeconds(seconds)),
            BusyNotice = Core.Transport.BusyNotice.Line,
        };
    }

    private static Option<int> WithKeepAliveRange(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            int seconds = result.GetValueOrDefault<int>();
            if (seconds < 0 || seconds > TcpKeepAlive.MaxIdle.TotalSeconds)
            {
                result.AddError(CliStrings.InvalidKeepAlive);
            }
        });
        return option;
    }

    /// <summary>One line naming the address and the reason, in the user's language.</summary>
    public static string DescribeBindFailure(ServerBindException e)
    {
        string reason = e.Failure switch
        {
            BindFailure.AddressInUse => Strings.BindAddressInUse,
            BindFailure.HeldByConnection => Strings.BindHeldByConnection,
            BindFailure.AddressNotAvailable => Strings.BindAddressNotAvailable,
            BindFailure.PermissionDenied => Strings.BindPermissionDenied,
            BindFailure.UnknownHost => Strings.BindUnknownHost,
            _ => string.Format(CultureInfo.CurrentCulture, Strings.BindOther, e.InnerException?.Message ?? e.Message),
        };
        return string.Format(CultureInfo.CurrentCulture, Strings.BindFailed, e.Address, reason);
    }
}
