using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Marcel.Cli.CommandLine;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Discovery;
using Marcel.Core.Security;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary><c>marcel serve --announce</c>: DNS-SD over multicast DNS for the server just bound.</summary>
internal static class AnnounceOptions
{
    private static readonly Option<bool> Announce = new("--announce") { Description = DiscoveryStrings.AnnounceDescription };

    private static readonly Option<int> Ttl = new("--announce-ttl")
    {
        Description = DiscoveryStrings.AnnounceTtlDescription,
        DefaultValueFactory = _ => (int)ServiceAnnouncement.DefaultTtl,
        HelpName = "seconds",
    };

    /// <summary>Adds <c>--announce</c> and <c>--announce-ttl</c> to <paramref name="command"/>; without <c>--announce</c> the latter and <c>--mdns</c> are refused.</summary>
    public static void AddTo(Command command)
    {
        Ttl.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 4500) r.AddError(DiscoveryStrings.InvalidAnnounceTtl);
        });
        command.Options.Add(Announce);
        command.Options.Add(Ttl);
        DiscoveryStack.AddTo(command);
        command.Validators.Add(result =>
        {
            foreach (Option option in new Option[] { Ttl, DiscoveryStack.Mdns })
            {
                if (result.IsGiven(option) && !result.GetValue(Announce))
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.AnnounceOptionNeedsAnnounce, option.Name));
                }
            }
        });
    }

    /// <summary>
    /// Without <c>--announce</c>: (null, null). Otherwise probes and announces the server: one service per entry of
    /// <paramref name="transports"/> (its type and the endpoints bound for it, the first one the main), TXT with the
    /// mode, TLS fingerprint and web page's port; says so on the console, and returns what to dispose at stop (the
    /// goodbyes); or an exit code after a one-line error (loopback only, port 5353 unusable, no Avahi for --mdns avahi).
    /// </summary>
    public static async Task<(AnnouncedServer? Announced, int? Exit)> StartAsync(
        ParseResult parse, IReadOnlyList<(string ServiceType, IReadOnlyList<IPEndPoint> Bound)> transports, string name, string mode,
        TlsServerOptions? tls, int? webPort, ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        if (!parse.GetValue(Announce))
        {
            return (null, null);
        }

        IReadOnlyList<IPEndPoint> main = transports[0].Bound;
        IReadOnlyList<MdnsInterface> interfaces = MdnsInterface.For(main);
        if (interfaces.Count == 0)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.AnnounceLoopbackOnly, string.Join(", ", main)));
            return (null, ExitCodes.CannotListen);
        }

        IServiceDiscovery? stack = await DiscoveryStack.ChooseAsync(parse, terminal, logging, cancellationToken);
        if (stack is null)
        {
            return (null, ExitCodes.CannotListen);
        }

        string instance = MarcelService.InstanceName(name, MarcelService.LocalHostLabel());
        var held = new List<IAnnouncement>();
        try
        {
            foreach ((string type, IReadOnlyList<IPEndPoint> bound) in transports)
            {
                bool datagrams = type == MarcelService.UdpType;
                var announcement = new ServiceAnnouncement
                {
                    InstanceName = instance,
                    ServiceType = type,
                    Port = bound[0].Port,
                    // No TLS over datagrams, and the page belongs to the TCP room's announcement.
                    Txt = MarcelService.Txt(mode, tls is null || datagrams ? null : CertificateFingerprint.Of(tls.Certificate), datagrams ? null : webPort),
                    Ttl = (uint)parse.GetValue(Ttl),
                };
                IAnnouncement announced = await stack.AnnounceAsync(announcement, interfaces, logging, cancellationToken);
                held.Add(announced);
                Tell(terminal, stack, announced, announcement, interfaces, held.Count == 1);
            }

            return (new AnnouncedServer(stack, held), null);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or DiscoveryUnavailableException)
        {
            foreach (IAnnouncement announced in held)
            {
                await announced.DisposeAsync();
            }

            DiscoveryStack.Release(stack);
            if (e is OperationCanceledException)
            {
                return (null, ExitCodes.Success); // Ctrl-C while probing: the server stops as it would have.
            }

            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.AnnounceFailed, e.Message));
            return (null, ExitCodes.CannotListen);
        }
    }

    private static void Tell(
        ConsoleTerminal terminal, IServiceDiscovery stack, IAnnouncement announced, ServiceAnnouncement announcement, IReadOnlyList<MdnsInterface> interfaces, bool first)
    {
        string on = string.Join(", ", interfaces.Select(i => $"{i.Name} {i.Address}"));
        terminal.WriteLine(first
            ? string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.Announced, announced.InstanceName, announcement.ServiceType, on, DiscoveryStack.Describe(stack))
            : string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.UdpPortAnnounced, announced.InstanceName, announcement.ServiceType, announcement.Port));
        announced.Renamed += (_, renamed) => terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.Renamed, renamed));
    }
}
