using System.CommandLine;
using System.Globalization;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Room;
using Marcel.Core.Hosting;
using Marcel.Core.Security;
using Marcel.Web;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve --chat --web [HOST:]PORT</c>: the browser room's options and how they map to <see cref="WebRoomOptions"/>.</summary>
internal static class WebServe
{
    /// <summary>Connections the page's port accepts beyond the room's members: page loads, and newcomers to tell the room is full.</summary>
    private const int PageConnections = 100;

    public static readonly Option<string?> Web = new("--web") { Description = WebHelp.WebDescription, HelpName = "[host:]port" };

    private static readonly Option<string[]> WebOrigin = new("--web-origin") { Description = WebHelp.WebOriginDescription, HelpName = "origin" };

    /// <summary>The options <c>serve</c> gains for the browser room.</summary>
    public static IReadOnlyList<Option> Options { get; } = WithValidators();

    /// <summary>Checks that tie the options to <c>--chat</c> and to each other.</summary>
    public static void AddChecks(Command command, Option<bool> chat)
    {
        command.Validators.Add(result =>
        {
            if (result.GetResult(Web) is not null && !result.GetValue(chat))
            {
                result.AddError(WebHelp.WebNeedsChat);
            }

            if (result.GetResult(WebOrigin) is not null && result.GetResult(Web) is null)
            {
                result.AddError(WebHelp.WebOriginNeedsWeb);
            }
        });
    }

    /// <summary>
    /// Null without <c>--web</c>; otherwise where and how to serve the page, beside the TCP room on <paramref name="tcpHost"/>.
    /// </summary>
    public static WebRoomOptions? Resolve(ParseResult parse, string tcpHost, ChatOptions room, ServerLimits limits, TlsServerOptions? tls)
    {
        if (parse.GetValue(Web) is not { } value)
        {
            return null;
        }

        TryParseEndpoint(value, tcpHost, out string host, out int port);
        return new WebRoomOptions
        {
            Host = host,
            Port = port,
            AllowedOrigins = parse.GetValue(WebOrigin) ?? [],
            Tls = tls,
            // --lang (or LANG) said by the operator wins; otherwise each browser gets its own language when we speak it.
            Language = parse.GetResult(CommonOptions.Lang) is null ? null : CultureInfo.CurrentUICulture,
            FallbackLanguage = CultureInfo.CurrentUICulture,
            MaxMessageBytes = room.Lines.MaxLineBytes,
            KeepAlive = limits.KeepAlive,
            MaxConnections = room.MaxClients + PageConnections,
        };
    }

    /// <summary>Starts the page and the socket of <paramref name="room"/>; writes the bind failure and returns null when it cannot listen.</summary>
    public static async Task<WebRoomHost?> StartAsync(
        ChatRoom room, WebRoomOptions options, ILoggerFactory logging, Terminal.ConsoleTerminal terminal, CancellationToken cancellationToken)
    {
        try
        {
            return await WebRoom.StartAsync(room, options, logging, cancellationToken);
        }
        catch (ServerBindException e)
        {
            terminal.WriteError(ServeCommand.DescribeBindFailure(e));
            return null;
        }
    }

    /// <summary>
    /// <c>PORT</c>, <c>HOST:PORT</c>, <c>[V6]:PORT</c> or <c>*:PORT</c>; a bare port takes <paramref name="defaultHost"/>.
    /// The host is split off as <c>connect</c> splits it (<see cref="HostPort"/>): an IPv6 literal needs its brackets.
    /// </summary>
    internal static bool TryParseEndpoint(string value, string defaultHost, out string host, out int port)
    {
        (string named, string? portText) = HostPort.Split(value);
        host = portText is null ? defaultHost : named;
        return int.TryParse(portText ?? value, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port <= 65535
            && host.Length > 0;
    }

    private static Option[] WithValidators()
    {
        Web.Validators.Add(result =>
        {
            string value = result.GetValueOrDefault<string?>() ?? string.Empty;
            if (!TryParseEndpoint(value, "localhost", out _, out _))
            {
                result.AddError(string.Format(CultureInfo.CurrentCulture, WebHelp.InvalidWeb, value));
            }
        });
        WebOrigin.Validators.Add(result =>
        {
            foreach (string origin in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!WebRoomOptions.IsValidOrigin(origin))
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, WebHelp.InvalidWebOrigin, origin));
                }
            }
        });
        return [Web, WebOrigin];
    }
}
