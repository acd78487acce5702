using System.Net;

namespace Marcel.Tests.Support;

/// <summary>One host of a <see cref="LocalLan"/>: a network namespace with one interface, <c>eth0</c>.</summary>
internal sealed class LanHost(string ns, IPAddress address)
{
    /// <summary>The namespace's name.</summary>
    public string Namespace { get; } = ns;

    /// <summary>The host's address on the LAN.</summary>
    public IPAddress Address { get; } = address;

    /// <summary>Starts <paramref name="program"/> inside the host.</summary>
    public PeerProcess Start(string program, params string[] arguments) =>
        PeerProcess.Start("ip", ["netns", "exec", Namespace, program, .. arguments]);

    /// <summary>
    /// The D-Bus system bus marcel is given (<c>DBUS_SYSTEM_BUS_ADDRESS</c>): by default one that does not exist, so a
    /// marcel in a test namespace never reaches the machine's own Avahi (whose multicast is on the real network); an
    /// <see cref="AvahiPeer"/> started on this host sets its own, and marcel's <c>--mdns auto</c> then finds that Avahi.
    /// </summary>
    public string SystemBus { get; set; } = NoSystemBus;

    /// <summary>A bus address where nothing listens.</summary>
    public const string NoSystemBus = "unix:path=/nonexistent/marcel-tests-no-system-bus";

    /// <summary>Starts the real <c>marcel</c> inside the host.</summary>
    public PeerProcess Marcel(params string[] arguments) =>
        Start("env", ["DBUS_SYSTEM_BUS_ADDRESS=" + SystemBus, "dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll"), .. arguments]);

    /// <summary>Starts the real <c>marcel</c> inside the host with <c>XDG_CONFIG_HOME</c> set (where <c>--tls</c> keeps its certificate).</summary>
    public PeerProcess MarcelWithConfig(string configFolder, params string[] arguments) =>
        Start("env", ["XDG_CONFIG_HOME=" + configFolder, "DBUS_SYSTEM_BUS_ADDRESS=" + SystemBus, "dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll"), .. arguments]);

    /// <summary>Starts the real <c>marcel</c> inside the host on a pseudo-terminal (util-linux <c>script</c>): stdin, stdout and stderr a tty.</summary>
    public PeerProcess MarcelOnTerminal(params string[] arguments) => MarcelOnTerminalWithConfig(null, arguments);

    /// <summary>
    /// <see cref="MarcelOnTerminal"/> with <c>XDG_CONFIG_HOME</c> set to <paramref name="configFolder"/> when given (where
    /// <c>connect</c> remembers the fingerprints confirmed), so a test never writes to the machine's own config folder.
    /// </summary>
    public PeerProcess MarcelOnTerminalWithConfig(string? configFolder, params string[] arguments)
    {
        string script = ExternalProgram.Require("script");
        string[] environment = configFolder is null ? ["env"] : ["env", "XDG_CONFIG_HOME=" + configFolder];
        string command = string.Join(' ', environment.Concat(["DBUS_SYSTEM_BUS_ADDRESS=" + SystemBus, "dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll")])
            .Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Start(script, "-qfec", command, "/dev/null");
    }
}
