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

/// <summary>
/// <c>marcel connect</c> without an address (browse the LAN) or with an announced instance's name: picks the server,
/// and its announced TLS fingerprint only once the user trusts it (remembered per instance name in <see cref="KnownServers"/>).
/// </summary>
internal static class ConnectDiscovery
{
    /// <summary>How long <c>marcel connect</c> with no host listens for announcements: answers come within milliseconds on a LAN.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static readonly Option<bool> TrustAnnounced = new("--trust-announced") { Description = DiscoveryStrings.TrustAnnouncedDescription };

    /// <summary>Adds <c>--trust-announced</c>.</summary>
    public static void AddTo(Command command)
    {
        command.Options.Add(TrustAnnounced);
        DiscoveryStack.AddTo(command);
    }

    /// <summary>
    /// The address, port and TLS to connect with: as given when <paramref name="host"/> is an address or a host
    /// name; with no host, localhost when a server of this machine listens on the default port; else those of the
    /// announced server chosen (no host: the only one found, or the user's pick). On failure
    /// an exit code, after a one-line error saying what to do (<see cref="ExitCodes.Interrupted"/> for Ctrl-C).
    /// </summary>
    public static async Task<(string Host, int Port, TlsClientOptions? Tls, int? Exit)> ResolveAsync(
        ParseResult parse, string? host, int port, TlsClientOptions? tls, ConsoleTerminal terminal, CancellationToken cancellationToken)
    {
        try
        {
            return await FindAsync(parse, host, port, tls, terminal, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return (string.Empty, 0, null, ExitCodes.Interrupted);
        }
    }

    private static async Task<(string Host, int Port, TlsClientOptions? Tls, int? Exit)> FindAsync(
        ParseResult parse, string? host, int port, TlsClientOptions? tls, ConsoleTerminal terminal, CancellationToken cancellationToken)
    {
        if (host is not null ? !await IsInstanceNameAsync(host, cancellationToken) : ListensHere(CommonOptions.DefaultPort))
        {
            return (host ?? "localhost", port, tls, null);
        }

        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(CommonOptions.Verbose), terminal);
        if (host is null)
        {
            terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectSearching, Window.TotalSeconds));
        }

        IReadOnlyList<ServiceInstance>? found = await BrowseCommand.FindAsync(
            parse, [MarcelService.TcpType], Window, host is null ? null : list => list.Any(s => string.Equals(s.Name, host, StringComparison.OrdinalIgnoreCase)), terminal, logging, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        ServiceInstance? chosen = found is null ? null : host is null ? await ChooseAsync(found, terminal, cancellationToken) : Named(found, host, terminal);
        if (chosen is null)
        {
            return (string.Empty, 0, null, ExitCodes.CannotConnect);
        }

        terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectFoundOne, chosen.Name, chosen.Mode ?? "?", BrowseCommand.Endpoint(chosen)));
        if (tls is null && chosen.Tls)
        {
            tls = await AnnouncedTlsAsync(parse, chosen, terminal, cancellationToken);
            if (tls is null)
            {
                return (string.Empty, 0, null, ExitCodes.Tls);
            }
        }

        return (chosen.Addresses[0].ToString(), chosen.Port, tls, null);
    }

    // No host and a server of this machine on the default port: that one, as before discovery existed (and without
    // connecting to find out, which a dialogue server would take for a client).
    private static bool ListensHere(int port)
    {
        try
        {
            return System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners().Any(e => e.Port == port);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or System.Net.NetworkInformation.NetworkInformationException)
        {
            return false;
        }
    }

    // An instance name has characters no host name has (a space, "@", brackets), dots or not ("Salle 1.2 @ pc12"); a name a
    // host could have is a host when it resolves, else it may be an instance (a single label, or "salle1.2").
    private static async Task<bool> IsInstanceNameAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out _) || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (!host.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return true;
        }

        try
        {
            await Dns.GetHostAddressesAsync(host, cancellationToken);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain)
        {
            return true;
        }
    }

    private static ServiceInstance? Named(IReadOnlyList<ServiceInstance> found, string name, ConsoleTerminal terminal)
    {
        ServiceInstance[] matches = found.Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (matches.Length == 0)
        {
            // The --name part alone: "Marcel" for "Marcel @ pc12".
            matches = found.Where(s => s.Name.StartsWith(name + " @ ", StringComparison.OrdinalIgnoreCase)).ToArray();
        }

        if (matches.Length == 1)
        {
            return matches[0];
        }

        terminal.WriteError(matches.Length == 0
            ? string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectNameNotFound, name)
            : string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectNameAmbiguous, name, string.Join(", ", matches.Select(m => $"\"{m.Name}\""))));
        return null;
    }

    private static async Task<ServiceInstance?> ChooseAsync(IReadOnlyList<ServiceInstance> found, ConsoleTerminal terminal, CancellationToken cancellationToken)
    {
        if (found.Count == 1)
        {
            return found[0];
        }

        if (found.Count == 0)
        {
            terminal.WriteError(DiscoveryStrings.ConnectFoundNone);
            return null;
        }

        string[] lines = found.Select((s, i) => $"  {i + 1}. {BrowseCommand.Describe(s)}").ToArray();
        if (!terminal.IsInteractive)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectFoundSeveral, found.Count));
            foreach (string line in lines) terminal.WriteError(line);
            return null;
        }

        terminal.WriteLines(lines);
        terminal.Ask(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ConnectChoose, found.Count));
        string? answer = await terminal.ReadLineAsync(cancellationToken);
        if (int.TryParse(answer?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pick) && pick >= 1 && pick <= found.Count)
        {
            return found[pick - 1];
        }

        terminal.WriteError(DiscoveryStrings.ConnectNoChoice);
        return null;
    }

    // mDNS is not authenticated: the announced fingerprint is pinned only with --trust-announced, or once the user said
    // yes to it for this instance name (remembered in known_servers, like ssh's known_hosts); a change is shouted.
    private static async Task<TlsClientOptions?> AnnouncedTlsAsync(ParseResult parse, ServiceInstance server, ConsoleTerminal terminal, CancellationToken cancellationToken)
    {
        if (server.Fingerprint is not { } fingerprint)
        {
            return new TlsClientOptions(); // TLS with no fingerprint announced: the certificate chain decides.
        }

        var pinned = new TlsClientOptions { PinnedFingerprint = CertificateFingerprint.Parse(fingerprint) };
        KnownServers known = KnownServers.ForThisUser();
        string? confirmed = known.Find(server.Name);
        if (confirmed is not null && SameFingerprint(confirmed, fingerprint))
        {
            terminal.WriteLine(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.FingerprintKnown, server.Name, known.FilePath));
            return pinned;
        }

        if (confirmed is not null)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.FingerprintChanged, server.Name, fingerprint, confirmed, known.FilePath));
        }

        if (parse.GetValue(TrustAnnounced))
        {
            return pinned;
        }

        if (!terminal.IsInteractive)
        {
            terminal.WriteError(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.TrustAnnouncedNeeded, server.Name, fingerprint));
            return null;
        }

        terminal.Ask(string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.TrustAnnouncedAsk, server.Name, fingerprint));
        string answer = (await terminal.ReadLineAsync(cancellationToken) ?? string.Empty).Trim();
        if (!DiscoveryStrings.YesAnswers.Split(',').Contains(answer, StringComparer.OrdinalIgnoreCase))
        {
            terminal.WriteError(DiscoveryStrings.TrustAnnouncedRefused);
            return null;
        }

        terminal.WriteLine(string.Format(
            CultureInfo.CurrentCulture, known.Remember(server.Name, fingerprint) ? DiscoveryStrings.FingerprintRemembered : DiscoveryStrings.FingerprintNotRemembered, known.FilePath, server.Name));
        return pinned;
    }

    private static bool SameFingerprint(string a, string b) =>
        CertificateFingerprint.Parse(a) is { } x && CertificateFingerprint.Parse(b) is { } y && x.AsSpan().SequenceEqual(y);
}
