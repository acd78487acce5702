using System.CommandLine;
using System.Globalization;
using Marcel.Avahi;
using Marcel.Cli.Resources;
using Marcel.Cli.Terminal;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging;

namespace Marcel.Cli.Commands;

/// <summary>
/// <c>--mdns auto|avahi|builtin</c>: which DNS-SD stack announces and browses. <c>auto</c> (the default) uses Avahi
/// where avahi-daemon answers on the system bus (it owns port 5353 on most Linux desktops), else Marcel's own.
/// </summary>
internal static class DiscoveryStack
{
    /// <summary>
    /// How long to wait for the system bus and Avahi. No bus fails at once (no socket); a bus answers in milliseconds,
    /// but a loaded machine's first D-Bus call (JIT, authentication) took over a second in the tests.
    /// </summary>
    private static readonly TimeSpan ProbeBound = TimeSpan.FromSeconds(5);

    public static readonly Option<string> Mdns = WithChoices(new("--mdns")
    {
        Description = DiscoveryStrings.MdnsDescription,
        DefaultValueFactory = _ => "auto",
        HelpName = "auto|avahi|builtin",
    });

    /// <summary>Adds <c>--mdns</c> to <paramref name="command"/>.</summary>
    public static void AddTo(Command command) => command.Options.Add(Mdns);

    /// <summary>
    /// The stack <c>--mdns</c> asks for (dispose it when done: Avahi's holds a bus connection), or null after a
    /// one-line error when <c>--mdns avahi</c> finds no Avahi.
    /// </summary>
    public static async Task<IServiceDiscovery?> ChooseAsync(ParseResult parse, ConsoleTerminal terminal, ILoggerFactory logging, CancellationToken cancellationToken)
    {
        string choice = parse.GetValue(Mdns) ?? "auto";
        if (choice == "builtin" || (choice == "auto" && !OperatingSystem.IsLinux()))
        {
            return BuiltInDiscovery.Instance;
        }

        AvahiDiscovery? avahi = await AvahiDiscovery.TryConnectAsync(null, ProbeBound, logging.CreateLogger<AvahiDiscovery>(), cancellationToken);
        if (avahi is null && choice == "avahi")
        {
            terminal.WriteError(DiscoveryStrings.AvahiUnavailable);
            return null;
        }

        return avahi ?? (IServiceDiscovery)BuiltInDiscovery.Instance;
    }

    /// <summary>"Marcel's own mDNS" or "through avahi 0.8", for the console line that says where the server is announced.</summary>
    public static string Describe(IServiceDiscovery stack) => stack is AvahiDiscovery avahi
        ? string.Format(CultureInfo.CurrentCulture, DiscoveryStrings.ViaAvahi, avahi.Version)
        : DiscoveryStrings.ViaBuiltIn;

    /// <summary>Releases what <paramref name="stack"/> holds (the bus connection of Avahi's).</summary>
    public static void Release(IServiceDiscovery? stack) => (stack as IDisposable)?.Dispose();

    private static Option<string> WithChoices(Option<string> option)
    {
        option.AcceptOnlyFromAmong("auto", "avahi", "builtin");
        return option;
    }
}
