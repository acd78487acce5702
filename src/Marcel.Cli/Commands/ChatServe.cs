using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Udp;
using Marcel.Core.Framing;
using Marcel.Core.Hosting;
using Marcel.Web;
using Microsoft.Extensions.Logging;
using Marcel.Redis;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve --chat</c>: the chat room's options and how they map to <see cref="ChatOptions"/>.</summary>
internal static class ChatServe
{
    public static readonly Option<bool> Chat = new("--chat") { Description = ChatHelp.ChatDescription };

    private static readonly Option<int> MaxClients = new("--max-clients")
    {
        Description = ChatHelp.MaxClientsDescription,
        DefaultValueFactory = _ => new ChatOptions().MaxClients,
        HelpName = "count",
    };

    public static readonly Option<double> IdleTimeout = new("--idle-timeout")
    {
        Description = ChatHelp.IdleTimeoutDescription,
        DefaultValueFactory = _ => 0,
        HelpName = "seconds",
    };

    private static readonly Option<int> MaxQueue = new("--max-queue")
    {
        Description = ChatHelp.MaxQueueDescription,
        DefaultValueFactory = _ => new ChatOptions().MaxQueueBytes,
        HelpName = "bytes",
    };

    private static readonly Option<string[]> Allow = Networks(new Option<string[]>("--allow") { Description = ChatHelp.AllowDescription, HelpName = "CIDR" });

    private static readonly Option<string[]> Deny = Networks(new Option<string[]>("--deny") { Description = ChatHelp.DenyDescription, HelpName = "CIDR" });

    /// <summary>The options <c>serve</c> gains for chat mode.</summary>
    public static IReadOnlyList<Option> Options { get; } = WithValidators();

    /// <summary>Runs the room until Ctrl-C, SIGTERM or the operator's /quit; exit code 0 after the goodbyes.</summary>
    public static async Task<int> RunAsync(ParseResult parse, string host, int port, string name, string? greeting, LineOptions lines)
    {
        double idle = parse.GetValue(IdleTimeout);
        var options = new ChatOptions
        {
            Name = name,
            Greeting = greeting,
            MaxClients = parse.GetValue(MaxClients),
            IdleTimeout = idle > 0 ? TimeSpan.FromSeconds(idle) : null,
            MaxQueueBytes = parse.GetValue(MaxQueue),
            MaxDatagramMembersPerAddress = parse.GetValue(DatagramServe.MaxPerAddress),
            Access = new ChatAccess(ParseAll(parse.GetValue(Allow)), ParseAll(parse.GetValue(Deny))),
            Lines = lines,
        };

        using var signal = new TerminationSignal();
        bool interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;
        // Our own buffered stdout: the console operator flushes once per batch of lines, not once per line.
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), Platform.ConsoleEncoding.Output, 64 * 1024);
        using var terminal = new ConsoleTerminal(stdout, Console.Error, interactive);
        signal.BeforeShutdown(() => terminal.EndInputLine(signal.HungUp));
        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(CommonOptions.Verbose), terminal);
        await using var console = new ConsoleChatOperator(terminal);
        if (!TlsServeOptions.TryResolve(parse, terminal, out Core.Security.TlsServerOptions? tls))
        {
            return ExitCodes.Tls;
        }

        // A room across servers: the Redis room is both the roster and the bus; it outlives the server that uses it.
        RedisRoomOptions? shared = RedisServe.Resolve(parse, port);
        await using RedisRoom? redis = shared is null ? null : await RedisServe.ConnectAsync(shared, terminal, logging);
        if (shared is not null && redis is null)
        {
            return ExitCodes.RedisUnavailable;
        }

        using var server = new ChatServer(options, console, logging.CreateLogger<ChatServer>(), roster: redis, bus: redis);
        try
        {
            await server.StartAsync(signal.Token);
        }
        catch (RedisUnavailableException e)
        {
            terminal.WriteError(e.Message);
            return ExitCodes.RedisUnavailable;
        }

        if (redis is not null)
        {
            terminal.WriteLine(RedisServe.Joined(redis, shared!));
        }

        if (parse.GetValue(DatagramServe.Udp))
        {
            return await DatagramServe.RunRoomAsync(parse, server, host, port, name, terminal, console, logging, signal.Token);
        }

        TcpServerHost listener;
        DatagramMembers? datagrams;
        try
        {
            listener = await TcpServerHost.StartAsync(
                host, port, server.OnConnectedAsync, logging, tls, ServeCommand.Limits(parse), signal.Token);
            datagrams = await DatagramServe.BindUdpPortAsync(parse, server, host, listener, signal.Token);
        }
        catch (ServerBindException e)
        {
            terminal.WriteError(ServeCommand.DescribeBindFailure(e));
            return ExitCodes.CannotListen;
        }

        await using (listener)
        {
            // The browser room (--web): its own port, the same room. No --web, no HTTP at all.
            WebRoomHost? page = null;
            if (WebServe.Resolve(parse, host, options, ServeCommand.Limits(parse), tls) is { } web)
            {
                page = await WebServe.StartAsync(server.Room, web, logging, terminal, signal.Token);
                if (page is null)
                {
                    await listener.StopAsync();
                    await (datagrams?.DisposeAsync() ?? ValueTask.CompletedTask);
                    return ExitCodes.CannotListen;
                }

                console.Pages = page.PageUrls;
            }

            int? refused;
            await using (page)
            {
                (AnnouncedServer? announced, refused) = await AnnounceOptions.StartAsync(
                    parse, Transports(listener.BoundEndPoints, datagrams?.BoundEndPoints), name, "chat", tls, page?.BoundEndPoints[0].Port, terminal, logging, signal.Token);
                await using (announced)
                {
                    console.DatagramEndPoints = datagrams?.BoundEndPoints.Count ?? 0;
                    if (refused is null) await server.RunAsync([.. listener.BoundEndPoints, .. datagrams?.BoundEndPoints ?? []], signal.Token);
                }

                await (page?.StopAsync() ?? Task.CompletedTask);
            }

            await listener.StopAsync();
            await (datagrams?.DisposeAsync() ?? ValueTask.CompletedTask);
            return refused ?? ExitCodes.Success;
        }
    }

    /// <summary>
    /// Checks that tie the room's own options to <c>--chat</c>: the dialogue would ignore them. <c>--idle-timeout</c>
    /// also serves the dialogue over UDP (a silent datagram peer is how a vanished one looks); only TCP's ignores it.
    /// </summary>
    public static void AddChecks(Command command)
    {
        command.Validators.Add(result =>
        {
            if (result.GetValue(Chat))
            {
                return;
            }

            foreach (Option option in new Option[] { Allow, Deny })
            {
                if (result.IsGiven(option)) result.AddError(string.Format(CultureInfo.CurrentCulture, ChatHelp.AccessNeedsChat, option.Name));
            }

            foreach (Option option in new Option[] { MaxClients, MaxQueue })
            {
                if (result.IsGiven(option)) result.AddError(string.Format(CultureInfo.CurrentCulture, ChatHelp.RoomLimitNeedsChat, option.Name));
            }

            if (result.IsGiven(IdleTimeout) && !result.GetValue(DatagramServe.Udp))
            {
                result.AddError(ChatHelp.IdleTimeoutNeedsChatOrUdp);
            }
        });
    }

    // The room's TCP port, and its --udp-port beside it (announced as _marcel._udp under the same name).
    private static List<(string, IReadOnlyList<System.Net.IPEndPoint>)> Transports(IReadOnlyList<System.Net.IPEndPoint> tcp, IReadOnlyList<System.Net.IPEndPoint>? udp) =>
        udp is null ? [(Core.Discovery.MarcelService.TcpType, tcp)] : [(Core.Discovery.MarcelService.TcpType, tcp), (Core.Discovery.MarcelService.UdpType, udp)];

    private static Option[] WithValidators()
    {
        MaxClients.Validators.Add(r => Range(r, 1, ChatOptions.MaxClientsCap));
        MaxQueue.Validators.Add(r => Range(r, 1024, ChatOptions.MaxQueueBytesCap));
        IdleTimeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or double.NaN) r.AddError(ChatHelp.InvalidIdleTimeout);
        });
        return [Chat, MaxClients, IdleTimeout, MaxQueue, Allow, Deny];
    }

    private static Option<string[]> Networks(Option<string[]> option)
    {
        option.Validators.Add(result =>
        {
            foreach (string value in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TryParseNetwork(value, out _))
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, ChatHelp.InvalidNetwork, option.Name, value));
                }
            }
        });
        return option;
    }

    private static IPNetwork[] ParseAll(string[]? values) =>
        (values ?? []).Select(v => TryParseNetwork(v, out IPNetwork n) ? n : throw new FormatException(v)).ToArray();

    /// <summary>A CIDR (<c>10.0.0.0/8</c>, <c>::1/128</c>) or a single address (the network of that address alone).</summary>
    private static bool TryParseNetwork(string value, out IPNetwork network)
    {
        if (IPNetwork.TryParse(value, out network))
        {
            return true;
        }

        if (IPAddress.TryParse(value.Trim('[', ']'), out IPAddress? address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }

    internal static void Range(System.CommandLine.Parsing.OptionResult result, int minimum, int maximum)
    {
        int value = result.GetValueOrDefault<int>();
        if (value < minimum || value > maximum)
        {
            result.AddError(string.Format(CultureInfo.CurrentCulture, ChatHelp.InvalidRange, result.Option.Name, minimum, maximum));
        }
    }
}
