using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Chat.Udp;

/// <summary><c>marcel serve --chat --udp</c> and <c>--udp-port</c> with real peers: nc -u, ncat -u, socat, and nc over TCP.</summary>
public class DatagramChatCliTests
{
    public static TheoryData<string> Peers => ["nc", "ncat", "socat"];

    [Theory]
    [MemberData(nameof(Peers))]
    public async Task Two_udp_peers_talk_in_a_udp_room_and_fin_says_goodbye(string peer)
    {
        string program = ExternalProgram.Require(peer);
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--chat", "--udp");
        await using (server)
        await using (PeerProcess a = Start(program, peer, port))
        await using (PeerProcess b = Start(program, peer, port))
        {
            await a.WriteLineAsync(""); // Joins; an empty line says nothing.
            await a.WaitForOutputAsync("Welcome to Marcel's chat room, you are user1.");
            await a.WriteLineAsync(""); // A second datagram: a shows it receives, so the room's traffic may flow to it.
            await b.WriteLineAsync("hello from " + peer);
            await a.WaitForOutputAsync("<user2> hello from " + peer + "\n");
            await a.WriteLineAsync("FIN");
            await a.WaitForOutputAsync("Goodbye!\n");
            await b.WaitForOutputAsync("* user1 left.");
            Assert.DoesNotContain("<user1>", b.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Through_udp_port_nc_and_nc_u_users_talk_in_one_room()
    {
        string nc = ExternalProgram.Require("nc");
        int udpPort = UdpPeer.UnusedPort();
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--chat", "--udp-port", Port(udpPort));
        await using (server)
        await using (PeerProcess tcp = PeerProcess.Start(nc, ["127.0.0.1", Port(port)]))
        {
            await tcp.WaitForOutputAsync("you are user1.");
            await using PeerProcess udp = PeerProcess.Start(nc, ["-u", "127.0.0.1", Port(udpPort)]);
            await udp.WriteLineAsync("hi from udp");
            await tcp.WaitForOutputAsync("> hi from udp\n");
            await tcp.WriteLineAsync("hi from tcp");
            await udp.WaitForOutputAsync("<user1> hi from tcp\n");
            await tcp.WriteLineAsync("/who");
            await tcp.WaitForOutputAsync("2 in the room:");
        }
    }

    private static PeerProcess Start(string program, string peer, int port) =>
        PeerProcess.Start(program, peer == "socat" ? ["-", "UDP:127.0.0.1:" + Port(port)] : ["-u", "127.0.0.1", Port(port)]);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
