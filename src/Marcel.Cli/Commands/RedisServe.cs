using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Redis;
using Marcel.Redis.Resources;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve --chat --redis URL</c>: the options of a room shared by several servers through Redis.</summary>
internal static class RedisServe
{
    /// <summary>The only place the Redis password is read from: never the command line, never printed.</summary>
    public const string PasswordVariable = "MARCEL_REDIS_PASSWORD";

    private static readonly Option<string?> Redis = new("--redis") { Description = RedisHelp.RedisDescription, HelpName = "url" };

    private static readonly Option<string> Room = new("--room")
    {
        Description = RedisHelp.RoomDescription,
        DefaultValueFactory = _ => "marcel",
        HelpName = "name",
    };

    private static readonly Option<string?> Node = new("--node") { Description = RedisHelp.NodeDescription, HelpName = "name" };

    private static readonly Option<bool> StartSplit = new("--start-split") { Description = RedisHelp.StartSplitDescription };

    private static readonly Option<string?> Ca = new("--redis-ca") { Description = RedisHelp.CaDescription, HelpName = "file" };

    /// <summary>The options <c>serve</c> gains for a room across servers.</summary>
    public static IReadOnlyList<Option> Options { get; } = WithValidators();

    /// <summary>Adds the check that the Redis options come with <c>--chat</c>.</summary>
    public static void AddTo(Command command)
    {
        foreach (Option option in Options)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            bool any = Options.Any(o => result.GetResult(o) is { Implicit: false });
            if (any && !result.GetValue(ChatServe.Chat))
            {
                result.AddError(RedisHelp.RedisNeedsChat);
            }

            if (result.GetValue(Ca) is not null && !(RedisAddress.TryParse(result.GetValue(Redis), out RedisAddress? address, out _) && address.Tls))
            {
                result.AddError(RedisHelp.CaNeedsTls);
            }
        });
    }

    /// <summary>The room's Redis settings, or <c>null</c> without <c>--redis</c>; <paramref name="port"/> names the node by default.</summary>
    public static RedisRoomOptions? Resolve(ParseResult parse, int port)
    {
        if (parse.GetValue(Redis) is not { } url)
        {
            return null;
        }

        if (!RedisAddress.TryParse(url, out RedisAddress? address, out string? error))
        {
            throw new FormatException(error); // The option's validator has already refused it.
        }

        string? password = Environment.GetEnvironmentVariable(PasswordVariable);
        return new RedisRoomOptions
        {
            Address = address,
            Password = string.IsNullOrEmpty(password) ? null : password,
            Room = parse.GetValue(Room) ?? "marcel",
            // Unique on this machine while it listens; with --port 0 the port is not known yet, the process id is.
            NodeName = parse.GetValue(Node) ?? Environment.MachineName + ":" + (port != 0 ? port : Environment.ProcessId).ToString(CultureInfo.InvariantCulture),
            StartSplit = parse.GetValue(StartSplit),
            CaFile = parse.GetValue(Ca),
        };
    }

    /// <summary>Connects to the room's Redis; <c>null</c> after one line on stderr naming the address when it cannot (exit 2).</summary>
    public static async Task<RedisRoom?> ConnectAsync(RedisRoomOptions options, ConsoleTerminal terminal, ILoggerFactory logging)
    {
        try
        {
            return await RedisRoom.ConnectAsync(options, logging);
        }
        catch (RedisUnavailableException e)
        {
            terminal.WriteError(e.Message);
            return null;
        }
    }

    /// <summary>The console's line once the room is joined (or started split).</summary>
    public static string Joined(RedisRoom room, RedisRoomOptions options) => room.IsSplit
        ? Format(RedisStrings.OpStartSplit, options.Address)
        : Format(RedisStrings.OpJoined, options.Room, options.Address, room.Node);

    private static string Format(string format, params object?[] arguments) => string.Format(CultureInfo.CurrentCulture, format, arguments);

    private static Option[] WithValidators()
    {
        Redis.Validators.Add(static result =>
        {
            if (!RedisAddress.TryParse(result.GetValueOrDefault<string?>(), out _, out string? error))
            {
                result.AddError(error);
            }
        });
        Room.Validators.Add(static result =>
        {
            if (!RedisRoomOptions.IsValidRoom(result.GetValueOrDefault<string>()))
            {
                result.AddError(RedisStrings.RoomInvalid);
            }
        });
        Ca.Validators.Add(static result =>
        {
            if (RedisConnector.TryLoadRoots(result.GetValueOrDefault<string?>() ?? "", out string? error) is { } roots)
            {
                foreach (X509Certificate2 root in roots) root.Dispose();
            }
            else
            {
                result.AddError(error!);
            }
        });
        return [Redis, Room, Node, StartSplit, Ca];
    }
}
