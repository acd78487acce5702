using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel browse</c>: the Marcel servers announced on the local network.</summary>
internal static class BrowseCommand
{
    private static readonly Option<double> Wait = new("--wait")
    {
        Description = DiscoveryStrings.BrowseWaitDescription,
        DefaultValueFactory = _ => 3,
        HelpName = "seconds",
    };

    private static readonly Option<bool> Json = new("--json") { Description = DiscoveryStrings.BrowseJsonDescription };
    private static readonly Option<bool> Watch = new("--watch") { Description = DiscoveryStrings.BrowseWatchDescription };

    /// <summary>What <c>browse</c> lists: Marcel over TCP and over datagrams.</summary>
    private static readonly string[] AllTypes = [MarcelService.TcpType, MarcelService.UdpType];

    public static Command Create()
    {
        Wait.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0.1 or > 3600 or double.NaN) r.AddError(DiscoveryStrings.InvalidBrowseWait);
        });
        var command = new Command("browse", DiscoveryStrings.BrowseDescription) { Wait, Json, Watch };
        DiscoveryStack.AddTo(command);
        command.SetAction(RunAsync);
        return command;
    }

    /// <summary>
    /// Browses <paramref name="types"/> for <paramref name="wait"/>, or until <paramref name="enough"/> says the list
    /// found so far will do, with the stack <c>--mdns</c> chose; null (after a one-line error) when discovery cannot run.
    /// </summary>
    public static async Task<IReadOnlyList<ServiceInstance>?> FindAsync(
        ParseResult parse, IReadOnlyList<string> types, TimeSpan wait, Func<IReadOnlyList<ServiceInstance>, bool>? enough,
        ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        IServiceDiscovery? stack = await DiscoveryStack.ChooseAsync(parse, terminal, logging, cancellationToken);
        try
        {
            await using IServiceBrowser? browser = stack is null ? null : await StartAsync(stack, types, terminal, logging, cancellationToken);
            if (browser is null)
            {
                return null;
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(wait);
            try
            {
                while (enough is null || !enough(browser.Instances))
                {
                    await browser.WaitForChangeAsync(window.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            return browser.Instances;
        }
        finally
        {
            DiscoveryStack.Release(stack);
        }
    }

    /// <summary>One line for people: name, mode, address and port, TLS fingerprint, the web page.</summary>
    public static string Describe(ServiceInstance server) =>
        $"{server.Name}  {Mode(server)}  {Endpoint(server)}  {(server.Tls ? "TLS " + server.Fingerprint : DiscoveryStrings.TlsNone)}"
        + (server.WebPort is null ? string.Empty : "  " + Web(server));

    /// <summary>The mode, with <c>udp</c> after it for a datagram server: <c>chat</c>, <c>dialogue udp</c>.</summary>
    public static string Mode(ServiceInstance server) =>
        (server.Mode ?? "?") + (server.ServiceType == MarcelService.UdpType ? " udp" : string.Empty);

    // The browser room's page, on the server's first address.
    private static string Web(ServiceInstance server) =>
        server.WebPort is { } port ? $"http://{new System.Net.IPEndPoint(server.Addresses[0], port)}/" : "-";

    // Where a stack that cannot browse here says why in one line (null then).
    private static async Task<IServiceBrowser?> StartAsync(
        IServiceDiscovery stack, IReadOnlyList<string> types, ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        try
        {
            return await stack.BrowseAsync(types, logging, cancellationToken);
        }
        catch (DiscoveryUnavailableException)
        {
            terminal.WriteError(DiscoveryStrings.NoMulticastInterface);
            return null;
        }
    }

    /// <summary>The address to connect to, as <c>ADDRESS:PORT</c> (brackets around IPv6).</summary>
    public static string Endpoint(ServiceInstance server) =>
        new System.Net.IPEndPoint(server.Addresses[0], server.Port).ToString();

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var signal = new TerminationSignal();
        using ConsoleTerminal terminal = ConsoleTerminal.ForConsole();
        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(CommonOptions.Verbose), terminal);
        if (parse.GetValue(Watch))
        {
            return await WatchAsync(parse, terminal, logging, signal.Token);
        }

        IReadOnlyList<ServiceInstance>? found = await FindAsync(parse, AllTypes, TimeSpan.FromSeconds(parse.GetValue(Wait)), null, terminal, logging, signal.Token);
        if (found is null)
        {
            return ExitCodes.CannotConnect;
        }

        if (parse.GetValue(Json))
        {
            terminal.WriteLine(JsonSerializer.Serialize(found.Select(BrowsedServer.From).ToArray(), BrowseJson.Default.BrowsedServerArray));
        }
        else if (found.Count == 0)
        {
            terminal.WriteError(DiscoveryStrings.BrowseNone);
        }
        else
        {
            Table(terminal, found);
        }

        return signal.Token.IsCancellationRequested ? signal.InterruptedExitCode : ExitCodes.Success;
    }

    private static void Table(ConsoleTerminal terminal, IReadOnlyList<ServiceInstance> found)
    {
        bool web = found.Any(s => s.WebPort is not null);
        string[][] rows =
        [
            Row(web, DiscoveryStrings.ColumnName, DiscoveryStrings.ColumnMode, DiscoveryStrings.ColumnAddress, DiscoveryStrings.ColumnTls, "WEB"),
            .. found.Select(s => Row(web, s.Name, Mode(s), Endpoint(s), s.Tls ? s.Fingerprint ?? "?" : DiscoveryStrings.TlsNone, Web(s))),
        ];
        int last = rows[0].Length - 1;
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        terminal.WriteLines(rows.Select(r => string.Join("  ", r.Select((cell, c) => c == last ? cell : cell.PadRight(widths[c])))).ToArray());
    }

    // The WEB column only when some server has a page.
    private static string[] Row(bool web, params string[] cells) => web ? cells : cells[..^1];

    private static async Task<int> WatchAsync(ParseResult parse, ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken stop)
    {
        IServiceDiscovery? stack = await DiscoveryStack.ChooseAsync(parse, terminal, logging, stop);
        try
        {
            await using IServiceBrowser? browser = stack is null ? null : await StartAsync(stack, AllTypes, terminal, logging, stop);
            return browser is null ? ExitCodes.CannotConnect : await WatchAsync(browser, terminal, stop);
        }
        finally
        {
            DiscoveryStack.Release(stack);
        }
    }

    private static async Task<int> WatchAsync(IServiceBrowser browser, ConsoleTerminal terminal, CancellationToken stop)
    {
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            while (true)
            {
                await browser.WaitForChangeAsync(stop);
                var now = browser.Instances.ToDictionary(s => s.ServiceType + " " + s.Name, Describe, StringComparer.OrdinalIgnoreCase);
                foreach ((string name, string line) in shown.Where(s => !now.ContainsKey(s.Key)).ToArray())
                {
                    terminal.WriteLine("- " + line);
                    shown.Remove(name);
                }

                foreach ((string name, string line) in now.Where(s => !shown.TryGetValue(s.Key, out string? old) || old != s.Value))
                {
                    terminal.WriteLine("+ " + line);
                    shown[name] = line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Success;
        }
    }
}
