using System.Net;
using Marcel.Core.Chat;
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
}
