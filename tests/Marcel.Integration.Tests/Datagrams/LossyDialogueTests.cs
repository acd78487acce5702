using System.Globalization;
using System.Net;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary>
/// The dialogue over UDP with a <see cref="LossyRelay"/> between the peer and the server: what is lost is missing, what
/// is doubled shows twice, what is overtaken shows late, and nothing waits for a lost datagram (silence ends it, on
/// the server's fake clock).
/// </summary>
public sealed class LossyDialogueTests : IAsyncLifetime
{
    private InProcessDatagramDialogue _dialogue = null!;

    public async ValueTask InitializeAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        _dialogue = await InProcessDatagramDialogue.StartAsync();
    }

    public ValueTask DisposeAsync() => _dialogue.DisposeAsync();

    [Fact]
    public async Task A_lost_line_is_missing_a_doubled_one_shows_twice_and_an_overtaken_one_shows_late_both_ways()
    {
        await using LossyRelay relay = new(Server, Fates, Fates);
        using var peer = UdpPeer.To(relay.Port);
        foreach (string line in new[] { "bonjour", "vérifié", "perdu", "double", "premier", "second" })
        {
            await peer.SendAsync(line + "\n");
        }

        await _dialogue.Console.WaitForAsync("C> premier");
        Assert.Equal(["C> bonjour", "C> vérifié", "C> double", "C> double", "C> second", "C> premier"], ClientLines());
        Assert.Equal(relay.ToServer.ForwardedLines.Select(l => "C> " + l), ClientLines());

        foreach (string reply in new[] { "perdu", "double", "premier", "second" })
        {
            _dialogue.Console.Type(reply);
        }

        List<string> got = [];
        while (got.Count < 5) got.Add(await peer.ReceiveTextAsync());
        Assert.Equal(["You are connected to the Marcel server. Send your messages.\n", "double\n", "double\n", "second\n", "premier\n"], got);
        // A check that nothing more came, without a wait: loopback keeps the relay's order, so a forwarded "perdu"
        // would have come before "premier", the last datagram the relay sent.
        Assert.Empty(peer.TakeQueued());
    }

    [Fact]
    public async Task A_lost_FIN_leaves_no_conversation_stuck_silence_ends_it_and_the_next_address_is_served()
    {
        await using LossyRelay relay = new(Server, (_, text) => text == "FIN\n" ? Fate.Drop : Fate.Pass, LossyRelay.Clean);
        using var peer = UdpPeer.To(relay.Port);
        await peer.SendAsync("bonjour\n");
        await _dialogue.Console.WaitForAsync("C> bonjour");
        await peer.SendAsync("FIN\n");
        await relay.ToServer.WaitForHandledAsync(2);
        // Deliberately checked without waiting: the relay dropped the FIN, so the server never had it to act on.
        Assert.DoesNotContain(_dialogue.Console.Shown, l => l.StartsWith("ended", StringComparison.Ordinal));

        _dialogue.Time.Advance(InProcessDatagramDialogue.Idle);
        await _dialogue.Console.WaitForAsync("ended ClientSilent");
        List<string> got = [];
        while (got.Count < 3) got.Add(await peer.ReceiveTextAsync());
        Assert.Equal(["You are connected to the Marcel server. Send your messages.\n", "Goodbye!\n", ""], got);

        using var next = UdpPeer.To(_dialogue.Port);
        await next.SendAsync("à moi\n");
        Assert.StartsWith("You are connected", await next.ReceiveTextAsync(), StringComparison.Ordinal);
        await _dialogue.Console.WaitForAsync("C> à moi");
    }

    [Fact]
    public async Task A_lost_first_datagram_is_never_heard_and_a_doubled_second_starts_the_conversation_and_shows_twice()
    {
        await using LossyRelay relay = new(Server, (index, _) => index switch { 0 => Fate.Drop, 1 => Fate.Double, _ => Fate.Pass }, LossyRelay.Clean);
        using var peer = UdpPeer.To(relay.Port);
        await peer.SendAsync("premier\n"); // Lost: the server never hears of this peer, and sends no greeting.
        await peer.SendAsync("deuxième\n"); // Doubled: the first copy starts the conversation, the second shows it receives.
        await _dialogue.Console.WaitForAsync("C> ", 2);
        Assert.Equal([Fate.Drop, Fate.Double], relay.ToServer.Fates);
        Assert.Equal(["C> deuxième", "C> deuxième"], ClientLines());
        Assert.Equal("You are connected to the Marcel server. Send your messages.\n", await peer.ReceiveTextAsync());

        _dialogue.Console.Type("bien reçu");
        Assert.Equal("bien reçu\n", await peer.ReceiveTextAsync());
        _dialogue.Time.Advance(InProcessDatagramDialogue.Idle);
        await _dialogue.Console.WaitForAsync("ended ClientSilent");
        Assert.Equal("Goodbye!\n", await peer.ReceiveTextAsync());
        Assert.Empty(await peer.ReceiveAsync());
        Assert.Empty(peer.TakeQueued()); // One greeting: the doubled datagram did not start a second conversation.
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(2026)]
    public async Task A_seeded_storm_of_losses_doubles_and_swaps_is_shown_as_it_came_and_never_stalls(int seed)
    {
        await using LossyRelay relay = new(
            Server,
            LossyRelay.Seeded(seed, drop: 0.2, dup: 0.1, hold: 0.1, passFirst: 2),
            LossyRelay.Seeded(seed + 1, drop: 0.2, dup: 0.1, hold: 0.1, passFirst: 1));
        using var peer = UdpPeer.To(relay.Port);
        await peer.SendAsync("bonjour\n");
        await peer.SendAsync("vérifié\n");
        await _dialogue.Console.WaitForAsync("C> vérifié");
        // In bursts of ten, each shown before the next: the server's own 256 KiB socket buffer would drop a long burst
        // to a starved server on a loaded machine, a loss no schedule decided. What the relay forwarded so far, the
        // server shows, in that order (a held datagram shows once the next one has gone through).
        for (int burst = 0; burst < 10; burst++)
        {
            for (int i = 0; i < 10; i++) await peer.SendAsync($"n {(burst * 10) + i}\n");
            await relay.ToServer.WaitForHandledAsync(2 + ((burst + 1) * 10));
            await _dialogue.Console.WaitForAsync("C> ", relay.ToServer.ForwardedLines.Count);
        }

        Assert.Equal(relay.ToServer.ForwardedLines.Select(l => "C> " + l), ClientLines());
        Assert.Contains(Fate.Drop, relay.ToServer.Fates);
        Assert.Contains(Fate.Double, relay.ToServer.Fates);
        Assert.Contains(Fate.Hold, relay.ToServer.Fates);

        for (int i = 0; i < 50; i++) _dialogue.Console.Type($"r {i}");
        await relay.ToClient.WaitForHandledAsync(51);
        IReadOnlyList<string> toPeer = relay.ToClient.Forwarded;
        List<string> got = [];
        while (got.Count < toPeer.Count) got.Add(await peer.ReceiveTextAsync());
        Assert.Equal(toPeer, got);

        _dialogue.Time.Advance(InProcessDatagramDialogue.Idle);
        await _dialogue.Console.WaitForAsync("ended ClientSilent");
    }

    [Fact]
    public async Task Marcel_connect_udp_whose_goodbye_is_lost_ends_after_its_wait_instead_of_hanging()
    {
        await using LossyRelay relay = new(Server, LossyRelay.Clean, (_, text) => text is "Goodbye!\n" or "" ? Fate.Drop : Fate.Pass);
        await using PeerProcess client = MarcelCli.Start("connect", "--udp", "--wait", "1", "127.0.0.1", relay.Port.ToString(CultureInfo.InvariantCulture));
        await client.WriteLineAsync("bonjour");
        await client.WaitForOutputAsync("S> You are connected to the Marcel server. Send your messages.\n");
        await client.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("S> You are connected to the Marcel server. Send your messages.\nConnection interrupted.\n", client.Output, StringComparison.Ordinal);
        await relay.ToClient.WaitForHandledAsync(3);
        Assert.Equal([Fate.Pass, Fate.Drop, Fate.Drop], relay.ToClient.Fates);
    }

    private IPEndPoint Server => new(IPAddress.Loopback, _dialogue.Port);

    /// <summary>Lost, doubled, held (it goes out after the next one), by the datagram's words.</summary>
    private static Fate Fates(int index, string text) => text.TrimEnd('\n') switch
    {
        "perdu" => Fate.Drop,
        "double" => Fate.Double,
        "premier" => Fate.Hold,
        _ => Fate.Pass,
    };

    private List<string> ClientLines() => [.. _dialogue.Console.Shown.Where(l => l.StartsWith("C> ", StringComparison.Ordinal))];
}
