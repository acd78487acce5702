using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary>The dialogue over UDP, in process, against datagram peers played by hand on 127.0.0.1.</summary>
public sealed class DatagramDialogueTests : IAsyncLifetime
{
    private static readonly TimeSpan Idle = InProcessDatagramDialogue.Idle;
    private InProcessDatagramDialogue? _dialogue;
    private string? _greeting;

    private InProcessDatagramDialogue Dialogue => _dialogue ?? throw new InvalidOperationException("not started");

    private int Port => Dialogue.Port;

    public ValueTask InitializeAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dialogue is not null) await _dialogue.DisposeAsync();
    }

    [Fact]
    public async Task The_first_sender_gets_the_greeting_its_lines_are_shown_and_FIN_gets_the_goodbye_then_an_empty_datagram()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("bonjour\nune autre ligne\n");
        Assert.Equal("You are connected to the Marcel server. Send your messages.\n", await peer.ReceiveTextAsync());
        await Dialogue.Console.WaitForAsync("C> une autre ligne");
        Dialogue.Console.Type("Salut !");
        Assert.Equal("Salut !\n", await peer.ReceiveTextAsync());
        await peer.SendAsync("fin\n");
        Assert.Equal("Goodbye!\n", await peer.ReceiveTextAsync());
        Assert.Empty(await peer.ReceiveAsync());
        await Dialogue.Console.WaitForAsync("ended ClientFarewell");
    }

    [Fact]
    public async Task Another_address_meanwhile_gets_one_busy_answer_however_many_datagrams_it_sends_and_the_console_shows_it()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        using var stranger = UdpPeer.To(Port);
        await peer.SendAsync("first\n");
        await Dialogue.Console.WaitForAsync("C> first");
        for (int i = 0; i < 20; i++)
        {
            await stranger.SendAsync("me too\n");
        }

        // The server handles one socket's datagrams in order: once the peer's next line is shown, every answer to
        // the stranger has been sent, and loopback has delivered it.
        await peer.SendAsync("second\n");
        await Dialogue.Console.WaitForAsync("C> second");
        List<byte[]> answers = stranger.TakeQueued();
        Assert.Equal(["Busy: another conversation is on. Try again later.\n"], answers.Select(Encoding.UTF8.GetString));
        Assert.Single(Dialogue.Console.Shown, l => l.StartsWith("turned away", StringComparison.Ordinal));
        Assert.DoesNotContain(Dialogue.Console.Shown, l => l.Contains("me too", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_address_that_never_sends_a_second_datagram_gets_at_most_three_times_its_bytes_plus_the_allowance()
    {
        await StartAsync();
        using var forged = UdpPeer.To(Port);
        byte[] probe = "x"u8.ToArray();
        await forged.SendAsync(probe);
        await Dialogue.Console.WaitForAsync("C> x");
        for (int i = 0; i < 5; i++)
        {
            Dialogue.Console.Type(new string('r', 300));
        }

        Dialogue.Console.Type("FIN");
        await Dialogue.Console.WaitForAsync("ended Operator");
        long sent = forged.TakeQueued().Sum(d => (long)d.Length);
        Assert.InRange(sent, 1, (AmplificationLimit.Factor * probe.Length) + AmplificationLimit.AllowanceBytes);
    }

    [Fact]
    public async Task What_the_limit_held_back_goes_out_once_the_peer_sends_its_second_datagram()
    {
        _greeting = new string('g', 500);
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("x");
        await Dialogue.Console.WaitForAsync("C> x");
        Assert.Empty(peer.TakeQueued()); // The greeting was sent before the line was shown: it was held.
        await peer.SendAsync("y");
        Assert.Equal(_greeting + "\n", await peer.ReceiveTextAsync());
        await Dialogue.Console.WaitForAsync("C> y");
    }

    [Fact]
    public async Task A_datagram_over_the_maximum_is_refused_with_a_notice_and_the_conversation_goes_on()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("hi\n");
        await peer.ReceiveTextAsync();
        await peer.SendAsync(new byte[new DatagramOptions().MaxDatagramBytes + 1]);
        Assert.Equal("Message too long (over 1200 bytes in one datagram): not delivered.\n", await peer.ReceiveTextAsync());
        await peer.SendAsync("after\n");
        await Dialogue.Console.WaitForAsync("C> after");
        Assert.DoesNotContain(Dialogue.Console.Shown, l => l.StartsWith("ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reply_too_long_for_one_datagram_is_refused_whole_and_the_operator_told()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("hi\n");
        await peer.ReceiveTextAsync();
        await peer.SendAsync("verified\n");
        await Dialogue.Console.WaitForAsync("C> verified");
        Dialogue.Console.Type(new string('r', 1200));
        await Dialogue.Console.WaitForAsync("reply too long 1200");
        Dialogue.Console.Type("short");
        Assert.Equal("short\n", await peer.ReceiveTextAsync());
    }

    [Fact]
    public async Task Silence_for_the_idle_timeout_ends_the_conversation_and_the_peer_is_told_goodbye()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("hello\n");
        await Dialogue.Console.WaitForAsync("C> hello");
        Dialogue.Time.Advance(Idle - TimeSpan.FromSeconds(1));
        await peer.SendAsync("still here\n");
        await Dialogue.Console.WaitForAsync("C> still here");
        Dialogue.Time.Advance(Idle - TimeSpan.FromSeconds(1));
        await peer.SendAsync("and here\n");
        await Dialogue.Console.WaitForAsync("C> and here"); // Twice as long in all, but never that long in silence.
        Assert.DoesNotContain(Dialogue.Console.Shown, l => l.StartsWith("ended", StringComparison.Ordinal));

        Dialogue.Time.Advance(Idle);
        await Dialogue.Console.WaitForAsync("ended ClientSilent");
        List<string> last = [];
        while (last.Count < 3) last.Add(await peer.ReceiveTextAsync());
        Assert.Equal(["You are connected to the Marcel server. Send your messages.\n", "Goodbye!\n", ""], last);
    }

    [Fact]
    public async Task After_a_conversation_the_next_address_to_speak_is_served()
    {
        await StartAsync();
        using var first = UdpPeer.To(Port);
        await first.SendAsync("one\n");
        await Dialogue.Console.WaitForAsync("C> one");
        await first.SendAsync("FIN\n");
        await Dialogue.Console.WaitForAsync("ended ClientFarewell");
        await Dialogue.Console.WaitForAsync("ready", count: 2);
        using var second = UdpPeer.To(Port);
        await second.SendAsync("two\n");
        Assert.StartsWith("You are connected", await second.ReceiveTextAsync(), StringComparison.Ordinal);
        await Dialogue.Console.WaitForAsync($"connected {second.Local}");
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_datagram_is_shown_with_replacement_characters_and_the_conversation_goes_on()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync([(byte)'a', 0xC3, (byte)'b', 0xFF, (byte)'\n']);
        await Dialogue.Console.WaitForAsync("C> a\uFFFDb\uFFFD");
        await peer.SendAsync("après\n");
        await Dialogue.Console.WaitForAsync("C> après");
    }

    [Fact]
    public async Task A_flood_from_one_address_on_many_ports_gets_one_busy_answer_and_the_conversation_is_still_served()
    {
        await StartAsync();
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("first\n");
        await peer.ReceiveTextAsync();
        UdpPeer[] flood = [.. Enumerable.Range(0, 10).Select(_ => UdpPeer.To(Port))];
        try
        {
            // 200 datagrams: within the server's socket buffer, so the kernel drops none of the peer's.
            for (int i = 0; i < 20; i++)
            {
                foreach (UdpPeer port in flood) await port.SendAsync("flood\n");
            }

            await peer.SendAsync("second\n");
            await Dialogue.Console.WaitForAsync("C> second"); // One socket's datagrams in order: every flood datagram was handled.
            Dialogue.Console.Type("still served");
            Assert.Equal("still served\n", await peer.ReceiveTextAsync());
            Assert.Equal(["Busy: another conversation is on. Try again later.\n"], flood.SelectMany(f => f.TakeQueued()).Select(Encoding.UTF8.GetString));
        }
        finally
        {
            foreach (UdpPeer port in flood) port.Dispose();
        }
    }

    [Fact]
    public async Task A_datagram_sent_to_a_broadcast_address_is_never_answered_nor_starts_a_conversation()
    {
        _dialogue = await InProcessDatagramDialogue.StartAsync(host: "0.0.0.0"); // A socket bound to one address never hears a broadcast.
        using var broadcaster = UdpPeer.To(Port);
        broadcaster.Socket.EnableBroadcast = true;
        await broadcaster.Socket.SendToAsync("anyone?\n"u8.ToArray(), SocketFlags.None, new IPEndPoint(IPAddress.Parse("127.255.255.255"), Port), TestContext.Current.CancellationToken);
        using var peer = UdpPeer.To(Port);
        await peer.SendAsync("bonjour\n");
        Assert.StartsWith("You are connected", await peer.ReceiveTextAsync(), StringComparison.Ordinal);
        await Dialogue.Console.WaitForAsync("C> bonjour");
        // No wait needed: one socket's datagrams are handled in order, so the broadcast was dropped before the peer spoke.
        Assert.Empty(broadcaster.TakeQueued());
        Assert.DoesNotContain(Dialogue.Console.Shown, l => l.Contains("anyone?", StringComparison.Ordinal) || l.StartsWith("turned away", StringComparison.Ordinal));
        Assert.Contains($"connected {peer.Local}", Dialogue.Console.Shown);
    }

    private async Task StartAsync() => _dialogue = await InProcessDatagramDialogue.StartAsync(_greeting);
}
