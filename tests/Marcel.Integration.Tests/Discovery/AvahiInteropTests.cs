using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>
/// The built-in responder and querier against a real Avahi (avahi-daemon 0.8 on a private D-Bus bus) on another host
/// of the test's LAN: each finds what the other announces.
/// </summary>
public class AvahiInteropTests
{
    [Fact]
    public async Task Avahi_resolves_a_server_announced_by_marcel()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost serverHost = lan.AddHost();
        await using AvahiPeer avahi = await AvahiPeer.StartAsync(lan.AddHost());
        (PeerProcess server, string name, int port) = await Announced.ServeAsync(serverHost, "--chat");
        await using (server)
        {
            // -p: parsable lines; "=" lines are resolved services: interface;protocol;name;type;domain;host;address;port;txt.
            await using PeerProcess browse = avahi.Run("avahi-browse", "--resolve", "--terminate", "--parsable", "_marcel._tcp");
            Assert.Equal(0, await browse.WaitForExitAsync());
            string resolved = Assert.Single(browse.Output.Split('\n'), l => l.StartsWith("=;", StringComparison.Ordinal));
            string[] fields = resolved.Split(';');
            Assert.Equal(name, Unescape(fields[3]));
            Assert.Equal("_marcel._tcp", fields[4]);
            Assert.Equal(port.ToString(CultureInfo.InvariantCulture), fields[8]);
            Assert.Contains("\"mode=chat\"", fields[9], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Marcel_browse_lists_a_server_that_Avahi_publishes()
    {
        using LocalLan lan = LocalLan.Create();
        LanHost browserHost = lan.AddHost();
        await using AvahiPeer avahi = await AvahiPeer.StartAsync(lan.AddHost());
        await using PeerProcess publish = avahi.Run("avahi-publish", "--service", "Avahi Room", "_marcel._tcp", "4321", "txtvers=1", "mode=chat");
        await publish.WaitForErrorAsync("Established under name 'Avahi Room'");
        Assert.Equal([("Avahi Room", "chat", avahi.Host.Address.ToString(), 4321)], await Announced.BrowseAsync(browserHost));
    }

    // avahi-browse -p escapes bytes of names as \DDD (decimal): "Marcel\032\064\032vm".
    private static string Unescape(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\\(\d{3})", m => ((char)int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToString());
}
