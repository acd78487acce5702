using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
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

    /// <summary>Adds <c>--announce</c> and <c>--announce-ttl</c> to <paramref name="command"/>.</summary>
    public static void AddTo(Command command)
    {
        Ttl.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 4500) r.AddError(DiscoveryStrings.InvalidAnnounceTtl);
        });
        command.Options.Add(Announce);
        command.Options.Add(Ttl);
    }

    /// <summary>
    /// Without <c>--announce</c>: (null, null). Otherwise probes and announces the server bound to
    /// <paramref name="bound"/>, says so on the console, and returns the responder to dispose at stop (its goodbye);
    /// or an exit code after a one-line error (loopback only, port 5353 unusable).
    /// </summary>
    public static async Task<(MdnsResponder? Responder, int? Exit)> StartAsync(
        ParseResult parse, IReadOnlyList<IPEndPoint> bound, string name, string mode, TlsServerOptions? tls,
        ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        if (!parse.GetValue(Announce))
        {
            return (null, null);
        }

        IReadOnlyList<MdnsInterface> interfaces = MdnsInterface.For(bound);
        if (interfaces.Count == 0)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.AnnounceLoopbackOnly, string.Join(", ", bound)));
            return (null, ExitCodes.CannotListen);
        }

        var announcement = new ServiceAnnouncement
        {
            InstanceName = MarcelService.InstanceName(name, MarcelService.LocalHostLabel()),
            Port = bound[0].Port,
            Txt = MarcelService.Txt(mode, tls is null ? null : CertificateFingerprint.Of(tls.Certificate), webPort: null),
            Ttl = (uint)parse.GetValue(Ttl),
        };
        try
        {
            MdnsResponder responder = await MdnsResponder.StartAsync(announcement, interfaces, logging.CreateLogger<MdnsResponder>(), cancellationToken: cancellationToken);
            string on = string.Join(", ", interfaces.Select(i => $"{i.Name} {i.Address}"));
            terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.Announced, responder.InstanceName, announcement.ServiceType, on));
            responder.Renamed += (_, renamed) => terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.Renamed, renamed));
            return (responder, null);
        }
        catch (OperationCanceledException)
        {
            return (null, ExitCodes.Success); // Ctrl-C while probing: the server stops as it would have.
        }
        catch (SocketException e)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.AnnounceFailed, e.Message));
            return (null, ExitCodes.CannotListen);
        }
    }
}
