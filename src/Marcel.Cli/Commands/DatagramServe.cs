using System.CommandLine;
using System.Globalization;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Udp;
using Marcel.Core.Dialogue;
using Marcel.Core.Discovery;
using Marcel.Core.Framing;
using Marcel.Core.Hosting;
using Marcel.Core.Resources;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve --udp</c>: the dialogue (and the room's members) over datagrams.</summary>
internal static class DatagramServe
{
    /// <summary>Over UDP a silent client is how a vanished one looks: without <c>--idle-timeout</c> it is let go after this long.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(5);

    public static readonly Option<bool> Udp = new("--udp") { Description = DatagramHelp.ServeUdpDescription };

    public static readonly Option<int> MaxDatagram = MaxDatagramOption();

    public static readonly Option<int?> UdpPort = UdpPortOption();

    public static readonly Option<int> MaxPerAddress = MaxPerAddressOption();

    /// <summary>The options <c>serve</c> gains for datagrams.</summary>
    public static IReadOnlyList<Option> Options { get; } = [Udp, MaxDatagram, UdpPort, MaxPerAddress];

    /// <summary>
    /// Refuses what <c>--udp</c> and <c>--udp-port</c> would otherwise ignore in silence: TLS (nothing encrypts a
    /// datagram here, and the user would believe it), the browser room (it sits beside a TCP room),
    /// <c>--udp-port</c> or <c>--max-per-address</c> without a room to add datagram members to, and
    /// <c>--max-datagram</c> without datagrams.
    /// </summary>
    public static void AddChecks(Command command)
    {
        command.Validators.Add(result =>
        {
            bool udp = result.GetValue(Udp);
            bool udpPort = result.GetResult(UdpPort) is not null;
            bool chat = result.GetValue(ChatServe.Chat);
            if (result.GetValue(TlsServeOptions.Tls) && (udp || udpPort))
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, DatagramHelp.TlsNotOverUdp, udp ? Udp.Name : UdpPort.Name));
            }

            if (udp && chat && result.GetResult(WebServe.Web) is not null)
            {
                result.AddError(DatagramHelp.WebNotOverUdp);
            }

            if (udpPort && (udp || !chat))
            {
                result.AddError(udp ? DatagramHelp.UdpPortWithUdp : DatagramHelp.UdpPortNeedsChat);
            }

            if (result.IsGiven(MaxPerAddress) && !(chat && (udp || udpPort)))
            {
                result.AddError(DatagramHelp.MaxPerAddressNeedsUdpRoom);
            }

            if (result.IsGiven(MaxDatagram) && !(udp || udpPort))
            {
                result.AddError(DatagramHelp.MaxDatagramNeedsUdpServe);
            }
        });
    }

    private static Option<int> MaxPerAddressOption()
    {
        var option = new Option<int>("--max-per-address")
        {
            Description = DatagramHelp.MaxPerAddressDescription,
            DefaultValueFactory = _ => new ChatOptions().MaxDatagramMembersPerAddress,
            HelpName = "count",
        };
        option.Validators.Add(r => ChatServe.Range(r, 1, ChatOptions.MaxClientsCap));
        return option;
    }

    private static Option<int?> UdpPortOption() => new("--udp-port")
    {
        Description = DatagramHelp.UdpPortDescription,
        HelpName = "port",
        CustomParser = ValueParsers.NullableParser("--udp-port", null, CommonOptions.PortAccepts(0), text => CommonOptions.ParsePort(text, 0)),
    };

    public static Option<int> MaxDatagramOption()
    {
        var option = new Option<int>("--max-datagram")
        {
            Description = DatagramHelp.MaxDatagramDescription,
            DefaultValueFactory = _ => new DatagramOptions().MaxDatagramBytes,
            HelpName = "bytes",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < DatagramOptions.MinDatagramBytes or > DatagramOptions.MaxDatagramBytesCap)
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, DatagramHelp.InvalidMaxDatagram, DatagramOptions.MinDatagramBytes, DatagramOptions.MaxDatagramBytesCap));
            }
        });
        return option;
    }

    /// <summary><c>--idle-timeout</c> as given (0: never), or <see cref="DefaultIdleTimeout"/> when it was not.</summary>
    public static TimeSpan? IdleTimeout(ParseResult parse)
    {
        if (parse.GetResult(ChatServe.IdleTimeout) is not { Implicit: false })
        {
            return DefaultIdleTimeout;
        }

        double seconds = parse.GetValue(ChatServe.IdleTimeout);
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary><c>serve --chat --udp</c>: a room whose members are all datagram peers, until /quit, Ctrl-C or SIGTERM.</summary>
    public static async Task<int> RunRoomAsync(
        ParseResult parse, ChatServer server, string host, int port, string name, ConsoleTerminal terminal, ConsoleChatOperator console, ILoggerFactory logging,
        CancellationToken stopping)
    {
        DatagramMembers members;
        try
        {
            members = await DatagramMembers.BindAsync(server.Room, host, port, Datagrams(parse), IdleTimeout(parse), stopping);
        }
        catch (ServerBindException e)
        {
            terminal.WriteError(ServeCommand.DescribeBindFailure(e));
            return ExitCodes.CannotListen;
        }

        await using (members)
        {
            TellLimits(terminal, parse, members.IdleTimeout);
            (AnnouncedServer? announced, int? refused) = await AnnounceOptions.StartAsync(
                parse, [(MarcelService.UdpType, members.BoundEndPoints)], name, "chat", null, null, terminal, logging, stopping);
            await using (announced)
            {
                console.DatagramEndPoints = members.BoundEndPoints.Count;
                if (refused is null) await server.RunAsync(members.BoundEndPoints, stopping);
            }

            return refused ?? ExitCodes.Success;
        }
    }

    /// <summary>With <c>--udp-port</c>, datagram members for the TCP room, on the same host; null without it.</summary>
    public static async Task<DatagramMembers?> BindUdpPortAsync(ParseResult parse, ChatServer server, string host, IAsyncDisposable tcp, CancellationToken stopping)
    {
        if (parse.GetValue(UdpPort) is not int port)
        {
            return null;
        }

        try
        {
            return await DatagramMembers.BindAsync(server.Room, host, port, Datagrams(parse), IdleTimeout(parse), stopping);
        }
        catch (ServerBindException)
        {
            await tcp.DisposeAsync();
            throw;
        }
    }

    private static DatagramOptions Datagrams(ParseResult parse) => new() { MaxDatagramBytes = parse.GetValue(MaxDatagram) };

    private static void TellLimits(ConsoleTerminal terminal, ParseResult parse, TimeSpan? idle) =>
        terminal.WriteLine(idle is { } seconds
            ? string.Format(CultureInfo.CurrentCulture, DatagramStrings.ServingDatagrams, parse.GetValue(MaxDatagram), seconds.TotalSeconds)
            : string.Format(CultureInfo.CurrentCulture, DatagramStrings.ServingDatagramsNoTimeout, parse.GetValue(MaxDatagram)));

    /// <summary>Runs the dialogue over UDP until the operator terminates it, Ctrl-C or SIGTERM.</summary>
    public static async Task<int> RunDialogueAsync(ParseResult parse, string host, int port, DialogueOptions options)
    {
        DatagramOptions datagrams = Datagrams(parse);
        TimeSpan? idle = IdleTimeout(parse);
        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        signal.BeforeShutdown(() => terminal.EndInputLine(signal.HungUp));
        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(CommonOptions.Verbose), terminal);
        if (options.Greeting is { } greeting && DatagramLines.ByteCount(greeting, options.Lines.Ending) > datagrams.MaxDatagramBytes)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DatagramHelp.GreetingTooLongForDatagram, datagrams.MaxDatagramBytes));
            return ExitCodes.Usage;
        }

        var console = new ConsoleDialogueOperator(terminal, options.Lines.MaxLineBytes, idle) { OverUdp = true };
        ILogger logger = logging.CreateLogger<DialogueServer>();
        var server = new DialogueServer(options, console, logger);
        DatagramConversations clients;
        try
        {
            clients = await DatagramConversations.BindAsync(host, port, datagrams, options.Lines.Ending, idle, console, logger, cancellationToken: signal.Token);
        }
        catch (ServerBindException e)
        {
            terminal.WriteError(ServeCommand.DescribeBindFailure(e));
            return ExitCodes.CannotListen;
        }

        await using (clients)
        {
            TellLimits(terminal, parse, idle);
            (AnnouncedServer? announced, int? refused) = await AnnounceOptions.StartAsync(
                parse, [(MarcelService.UdpType, clients.BoundEndPoints)], options.Name, "dialogue", null, null, terminal, logging, signal.Token);
            await using (announced)
            {
                if (refused is null) await server.RunAsync(clients.BoundEndPoints, clients, signal.Token);
            }

            return refused ?? ExitCodes.Success;
        }
    }
}
