using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Marcel.Core.Chat;
using Marcel.Core.Chat.Udp;
using Marcel.Core.Transport;
using Marcel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Chat.Udp;

/// <summary>The room's datagram members: joining by any datagram, leaving by FIN or silence, counted as members.</summary>
public class DatagramRoomTests
{
    [Fact]
    public async Task An_empty_first_datagram_joins_without_saying_anything_and_a_first_line_is_said_to_the_others()
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer watcher, _) = await room.JoinAsync();
        await using (watcher)
        {
            (DatagramLinePeer quiet, string quietName) = await room.JoinAsync();
            await using (quiet)
            {
                await watcher.ReadUntilAsync(l => l.Contains(quietName + " joined", StringComparison.Ordinal) || l.Contains(", " + quietName, StringComparison.Ordinal));
                var talker = new DatagramLinePeer(UdpPeer.To(room.Port));
                await using (talker)
                {
                    await talker.SendLineAsync("hello, first line"); // Joins and speaks in one datagram.
                    string notice = await watcher.ReadLineAsync() ?? "";
                    Assert.Matches(@"^\* user\d+ joined\.$", notice);
                    string talkerName = notice[2..notice.IndexOf(' ', 2)];
                    Assert.Equal($"<{talkerName}> hello, first line", await watcher.ReadLineAsync());
                }
            }
        }

        Assert.DoesNotContain(room.Console.Shown, l => l.StartsWith('<') && !l.Contains("hello, first line", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FIN")]
    [InlineData("/quit")]
    public async Task FIN_or_quit_ends_the_membership_with_the_goodbye_then_an_empty_datagram_and_the_room_is_told(string farewell)
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer stays, _) = await room.JoinAsync();
        (DatagramLinePeer leaves, string name) = await room.JoinAsync();
        await using (stays)
        await using (leaves)
        {
            await stays.ReadUntilAsync(l => l.Contains(name, StringComparison.Ordinal));
            await leaves.SendLineAsync(farewell);
            await leaves.ReadUntilAsync(l => l == "Goodbye!"); // After the join notice, when both joins fell in one window.
            Assert.Null(await leaves.ReadLineAsync()); // The empty datagram: UDP's nearest thing to a hang-up.
            Assert.Equal($"* {name} left.", await stays.ReadLineAsync());
            Assert.Equal(1, room.Members.Count);
        }
    }

    [Fact]
    public async Task A_member_silent_for_the_idle_timeout_is_told_and_let_go_and_the_clock_is_the_room_s()
    {
        var time = new FakeTimeProvider();
        TimeSpan idle = TimeSpan.FromMinutes(5);
        await using DatagramRoom room = await DatagramRoom.StartAsync(time: time, idle: idle);
        (DatagramLinePeer silent, string name) = await room.JoinAsync();
        await using (silent)
        {
            // Its last datagram, awaited where the room shows it: datagrams are handled in order, so the join's second
            // one is handled too (were it handled after the clock moved, it would count as heard then).
            await silent.SendLineAsync("last words");
            await room.Console.WaitForAsync("last words");
            time.Advance(idle - TimeSpan.FromSeconds(31));
            Assert.Equal(1, room.Members.Count);
            time.Advance(TimeSpan.FromSeconds(61)); // Past the timeout and one sweep period (30 s).
            Assert.Equal("No message for 300 s: connection closed.", await silent.ReadLineAsync());
            Assert.Null(await silent.ReadLineAsync()); // Sent after the leave went to the room's notice window.
            time.Advance(TimeSpan.FromSeconds(1)); // The window closes on the room's clock too.
            await room.Console.WaitForAsync($"{name} left");
        }
    }

    [Fact]
    public async Task A_datagram_over_the_maximum_is_refused_to_its_sender_alone_and_nothing_of_it_is_said()
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer watcher, _) = await room.JoinAsync();
        (DatagramLinePeer talker, string name) = await room.JoinAsync();
        await using (watcher)
        await using (talker)
        {
            await talker.Udp.SendAsync(new byte[new DatagramOptions().MaxDatagramBytes + 1]);
            Assert.Equal("Message too long (over 1200 bytes in one datagram): not delivered.", await talker.ReadUntilAsync(l => !l.StartsWith("* ", StringComparison.Ordinal)));
            await talker.SendLineAsync("after");
            Assert.Equal($"<{name}> after", await watcher.ReadUntilAsync(l => l.StartsWith('<')));
        }
    }

    [Fact]
    public async Task A_denied_address_gets_no_answer_and_the_operator_is_told_while_others_join()
    {
        var options = new ChatOptions { Access = new ChatAccess([], [IPNetwork.Parse("127.0.0.1/32")]) };
        await using DatagramRoom room = await DatagramRoom.StartAsync(options);
        using var denied = UdpPeer.To(room.Port);
        await denied.SendAsync("let me in\n");
        await using var allowed = new DatagramLinePeer(UdpPeer.From(IPAddress.Parse("127.0.0.2"), room.Port));
        await allowed.SendLineAsync("hello");
        Assert.StartsWith("Welcome to", await allowed.ReadLineAsync(), StringComparison.Ordinal);
        await room.Console.WaitForAsync($"Refused {denied.Local}");
        // No wait needed: one socket's datagrams are handled in order, so the denied one was dealt with before the welcome.
        Assert.Empty(denied.TakeQueued());
        Assert.Equal(1, room.Members.Count);
    }

    [Fact]
    public async Task Datagram_members_count_towards_max_clients_and_the_next_is_told_the_room_is_full()
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync(new ChatOptions { MaxClients = 1 });
        (DatagramLinePeer first, _) = await room.JoinAsync();
        await using (first)
        {
            var second = new DatagramLinePeer(UdpPeer.To(room.Port));
            await using (second)
            {
                await second.SendLineAsync("me too");
                Assert.Equal("The room is full (1 people); try again later.", await second.ReadLineAsync());
                Assert.Equal(1, room.Server.MemberCount);
            }
        }
    }

    [Fact]
    public async Task A_flood_from_one_address_on_many_ports_seats_the_cap_gets_one_short_answer_and_another_address_is_still_served()
    {
        int cap = new ChatOptions().MaxDatagramMembersPerAddress;
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer watcher, string watcherName) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.2"));
        UdpPeer[] flood = [.. Enumerable.Range(0, 40).Select(_ => UdpPeer.To(room.Port))];
        await using (watcher)
        {
            try
            {
                foreach (UdpPeer port in flood) await port.SendAsync("flood\n");

                // One socket's datagrams are handled in order: once this newcomer is welcomed, every flood datagram was.
                (DatagramLinePeer late, string lateName) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.3"));
                await using (late)
                {
                    Assert.Equal(cap + 2, room.Members.Count);
                    Assert.Equal(
                        [$"Too many joins from your address (at most {cap} at once, one more every 10 s); try again later.\n"],
                        flood.SelectMany(f => f.TakeQueued()).Select(Encoding.UTF8.GetString).Where(t => t.StartsWith("Too many", StringComparison.Ordinal)));
                    Assert.Single(room.Console.Shown, l => l.Contains("too many joins from its address", StringComparison.Ordinal));

                    // The real member heard of the cap's joins and lines, and of nothing more, up to the newcomer's join.
                    var heard = new List<string>();
                    var lateJoined = new Regex($@"^\* .*\b{lateName}\b.*joined|joined: .*\b{lateName}\b");
                    do heard.Add(await watcher.ReadLineAsync() ?? throw new InvalidOperationException("closed"));
                    while (!lateJoined.IsMatch(heard[^1]));
                    // Its own join may share a notice with the first flood joins (one notice window).
                    int ownJoin = heard.Count(l => Joined(l) > 0 && Regex.IsMatch(l, $@"\b{watcherName}\b"));
                    Assert.Equal(cap + 1, heard.Sum(Joined) - ownJoin);
                    Assert.Equal(cap, heard.Count(l => l.EndsWith("> flood", StringComparison.Ordinal)));

                    await late.SendLineAsync("served");
                    Assert.Equal($"<{lateName}> served", await watcher.ReadLineAsync());
                }
            }
            finally
            {
                foreach (UdpPeer port in flood) port.Dispose();
            }
        }
    }

    [Fact]
    public async Task Joins_from_one_address_are_rate_limited_so_leaving_and_joining_again_waits_for_the_join_interval()
    {
        var time = new FakeTimeProvider();
        await using DatagramRoom room = await DatagramRoom.StartAsync(new ChatOptions { MaxDatagramMembersPerAddress = 2 }, time: time);
        (DatagramLinePeer stays, _) = await room.JoinAsync();
        (DatagramLinePeer leaves, _) = await room.JoinAsync();
        await using (stays)
        await using (leaves)
        {
            await leaves.SendLineAsync("FIN");
            await leaves.ReadUntilAsync(l => l == "Goodbye!");
            Assert.Null(await leaves.ReadLineAsync());
            Assert.Equal(1, room.Members.Count); // Below the cap: only the rate of joins refuses the next one.

            await using var again = new DatagramLinePeer(UdpPeer.To(room.Port));
            await again.Udp.SendAsync([]);
            Assert.Equal("Too many joins from your address (at most 2 at once, one more every 10 s); try again later.", await again.ReadLineAsync());
            Assert.Equal(1, room.Members.Count);

            time.Advance(DatagramMembers.JoinInterval);
            (DatagramLinePeer later, string name) = await room.JoinAsync();
            await using (later)
            {
                Assert.Matches(@"^user\d+$", name);
                Assert.Equal(2, room.Members.Count);
            }
        }
    }

    [Fact]
    public async Task A_member_that_sent_one_datagram_gets_at_most_three_times_its_bytes_plus_the_allowance_while_others_talk()
    {
        DatagramRoom room = await DatagramRoom.StartAsync();
        using var forged = UdpPeer.To(room.Port);
        try
        {
            (DatagramLinePeer watcher, _) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.2"));
            (DatagramLinePeer talker, string talkerName) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.3"));
            await using (watcher)
            await using (talker)
            {
                byte[] probe = "x"u8.ToArray();
                await forged.SendAsync(probe);
                string said = await watcher.ReadUntilAsync(l => l.EndsWith("> x", StringComparison.Ordinal));
                for (int i = 0; i < 20; i++) await talker.SendLineAsync(i.ToString("D2", CultureInfo.InvariantCulture) + new string('r', 300));
                await watcher.ReadUntilAsync(l => l.StartsWith($"<{talkerName}> 19", StringComparison.Ordinal));
            }
        }
        finally
        {
            await room.DisposeAsync(); // Every member's queue drained (the goodbyes too): all that was ever sent to it is here.
        }

        long received = forged.TakeQueued().Sum(d => (long)d.Length);
        Assert.InRange(received, 1, (AmplificationLimit.Factor * 1) + AmplificationLimit.AllowanceBytes);
    }

    [Fact]
    public async Task What_the_limit_held_back_reaches_a_member_once_it_sends_its_second_datagram()
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer talker, string talkerName) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.2"));
        await using var quiet = new DatagramLinePeer(UdpPeer.To(room.Port));
        await using (talker)
        {
            await quiet.Udp.SendAsync("x"u8.ToArray());
            await room.Console.WaitForAsync("> x");
            string line = new('r', 300);
            await talker.SendLineAsync(line);
            await room.Console.WaitForAsync(line);
            await quiet.Udp.SendAsync("y"u8.ToArray());
            Assert.Equal($"<{talkerName}> {line}", await quiet.ReadUntilAsync(l => l.Contains(line, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Invalid_UTF8_in_datagrams_reaches_the_others_with_replacement_characters_its_sender_alone_is_told_once_and_the_room_goes_on()
    {
        await using DatagramRoom room = await DatagramRoom.StartAsync();
        (DatagramLinePeer watcher, string watcherName) = await room.JoinAsync(from: IPAddress.Parse("127.0.0.2"));
        (DatagramLinePeer talker, string name) = await room.JoinAsync();
        await using (watcher)
        await using (talker)
        {
            await talker.Udp.SendAsync([(byte)'a', 0xC3, (byte)'b', 0xFF, (byte)'\n']);
            Assert.Equal($"<{name}> a\uFFFDb\uFFFD", await watcher.ReadUntilAsync(l => l.StartsWith('<')));
            await talker.Udp.SendAsync([0xFF, 0xFE, (byte)'\n']);
            await talker.SendLineAsync("après");
            List<string> toWatcher = await ReadThroughAsync(watcher, $"<{name}> après");
            Assert.Equal([$"<{name}> \uFFFD\uFFFD", $"<{name}> après"], toWatcher.Where(l => l.StartsWith('<')));
            Assert.DoesNotContain(ChatRoomTests.InvalidUtf8Notice, toWatcher);

            // The talker's queue keeps order: whatever the room told it about its two datagrams comes before this line.
            await watcher.SendLineAsync("reçu");
            List<string> toTalker = await ReadThroughAsync(talker, $"<{watcherName}> reçu");
            Assert.Single(toTalker, l => l == ChatRoomTests.InvalidUtf8Notice);
            Assert.Equal(2, room.Members.Count);
        }
    }

    private static async Task<List<string>> ReadThroughAsync(DatagramLinePeer peer, string last)
    {
        var lines = new List<string>();
        do lines.Add(await peer.ReadLineAsync() ?? throw new InvalidOperationException("closed; seen:\n" + string.Join('\n', lines)));
        while (lines[^1] != last);
        return lines;
    }

    /// <summary>How many joined a notice announces: "* a joined." or "* N people joined: …".</summary>
    private static int Joined(string line)
    {
        Match many = Regex.Match(line, @"^\* (\d+) people joined: ");
        if (many.Success) return int.Parse(many.Groups[1].Value, CultureInfo.InvariantCulture);
        return Regex.IsMatch(line, @"^\* \S+ joined\.$") ? 1 : 0;
    }
}
