namespace Marcel.Tests.Support;

/// <summary>
/// A real avahi-daemon inside one host of a <see cref="LocalLan"/>, on a private D-Bus system bus of its own
/// (dbus-daemon with a private config and socket), its /run/avahi-daemon on a private tmpfs so it never meets the
/// machine's own. Needs avahi-daemon, avahi-utils and dbus (.ci/run installs them).
/// </summary>
internal sealed class AvahiPeer : IAsyncDisposable
{
    private readonly PeerProcess _bus;
    private readonly PeerProcess _daemon;
    private readonly string _busAddress;

    private AvahiPeer(LanHost host, PeerProcess bus, PeerProcess daemon, string busAddress)
    {
        Host = host;
        _bus = bus;
        _daemon = daemon;
        _busAddress = busAddress;
    }

    /// <summary>The host Avahi runs on.</summary>
    public LanHost Host { get; }

    public static async Task<AvahiPeer> StartAsync(LanHost host)
    {
        ExternalProgram.Require("avahi-daemon");
        ExternalProgram.Require("avahi-browse");
        ExternalProgram.Require("dbus-daemon");
        string folder = TestFolders.NewFolder("avahi-");
        string socket = Path.Combine(folder, "bus");
        await File.WriteAllTextAsync(Path.Combine(folder, "bus.conf"), $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <includedir>/usr/share/dbus-1/system.d</includedir>
              <policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
            </busconfig>
            """);
        await File.WriteAllTextAsync(Path.Combine(folder, "avahi.conf"), """
            [server]
            use-ipv4=yes
            use-ipv6=no
            allow-interfaces=eth0
            enable-dbus=yes
            disallow-other-stacks=no
            [wide-area]
            enable-wide-area=no
            [publish]
            publish-hinfo=no
            publish-workstation=no
            """);
        PeerProcess bus = host.Start("dbus-daemon", "--config-file=" + Path.Combine(folder, "bus.conf"), "--nofork", "--nopidfile", "--print-address");
        await bus.WaitForOutputAsync("unix:");
        string address = "unix:path=" + socket;
        PeerProcess daemon = host.Start("unshare", "--mount", "sh", "-c",
            "mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec env DBUS_SYSTEM_BUS_ADDRESS=\"$0\" avahi-daemon -f \"$1\" --no-drop-root --no-chroot --no-rlimits",
            address, Path.Combine(folder, "avahi.conf"));
        var peer = new AvahiPeer(host, bus, daemon, address);
        await daemon.WaitForErrorAsync("Server startup complete.");
        return peer;
    }

    /// <summary>Runs an Avahi client tool (avahi-browse, avahi-publish) on this daemon's bus.</summary>
    public PeerProcess Run(string tool, params string[] arguments) => Host.Start("env", ["DBUS_SYSTEM_BUS_ADDRESS=" + _busAddress, tool, .. arguments]);

    public async ValueTask DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _bus.DisposeAsync();
    }
}
