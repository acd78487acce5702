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

    public static Command Create()
    {
        Wait.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0.1 or > 3600 or double.NaN) r.AddError(DiscoveryStrings.InvalidBrowseWait);
        });
        var command = new Command("browse", DiscoveryStrings.BrowseDescription) { Wait, Json, Watch };
        command.SetAction(RunAsync);
        return command;
    }

    /// <summary>
    /// Browses <c>_marcel._tcp</c> for <paramref name="wait"/>, or until <paramref name="enough"/> says the list
    /// found so far will do; null (after a one-line error) when no interface can multicast.
    /// </summary>
    public static async Task<IReadOnlyList<ServiceInstance>?> FindAsync(
        TimeSpan wait, Func<IReadOnlyList<ServiceInstance>, bool>? enough, ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        IReadOnlyList<MdnsInterface> interfaces = MdnsInterface.All();
        if (interfaces.Count == 0)
        {
            terminal.WriteError(DiscoveryStrings.NoMulticastInterface);
            return null;
        }

        await using MdnsBrowser browser = MdnsBrowser.Start(MarcelService.TcpType, interfaces, logging.CreateLogger<MdnsBrowser>());
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

    /// <summary>One line for people: name, mode, address and port, TLS fingerprint.</summary>
    public static string Describe(ServiceInstance server) =>
        $"{server.Name}  {server.Mode ?? "?"}  {Endpoint(server)}  {(server.Tls ? "TLS " + server.Fingerprint : DiscoveryStrings.TlsNone)}";

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
            return await WatchAsync(terminal, logging, signal.Token);
        }

        IReadOnlyList<ServiceInstance>? found = await FindAsync(TimeSpan.FromSeconds(parse.GetValue(Wait)), null, terminal, logging, signal.Token);
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
        string[][] rows =
        [
            [DiscoveryStrings.ColumnName, DiscoveryStrings.ColumnMode, DiscoveryStrings.ColumnAddress, DiscoveryStrings.ColumnTls],
            .. found.Select(s => new[] { s.Name, s.Mode ?? "?", Endpoint(s), s.Tls ? s.Fingerprint ?? "?" : DiscoveryStrings.TlsNone }),
        ];
        int[] widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
        terminal.WriteLines(rows.Select(r => string.Join("  ", r.Select((cell, c) => c == 3 ? cell : cell.PadRight(widths[c])))).ToArray());
    }

    private static async Task<int> WatchAsync(ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken stop)
    {
        IReadOnlyList<MdnsInterface> interfaces = MdnsInterface.All();
        if (interfaces.Count == 0)
        {
            terminal.WriteError(DiscoveryStrings.NoMulticastInterface);
            return ExitCodes.CannotConnect;
        }

        await using MdnsBrowser browser = MdnsBrowser.Start(MarcelService.TcpType, interfaces, logging.CreateLogger<MdnsBrowser>());
        var shown = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            while (true)
            {
                await browser.WaitForChangeAsync(stop);
                var now = browser.Instances.ToDictionary(s => s.Name, Describe, StringComparer.OrdinalIgnoreCase);
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
