using System.Net;
using Marcel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Chat.Udp;

/// <summary>
/// The room's datagram members with a <see cref="LossyRelay"/> between one member and the room: the others see its lost
/// lines missing, its doubled ones twice, its overtaken ones late; a lost <c>/quit</c> leaves nobody stuck (the idle
/// timeout lets the member go, on the room's fake clock), and the rest of the room goes on.
/// </summary>
public class LossyRoomTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_room_sees_a_lossy_member_s_lines_as_the_relay_let_them_through_and_a_lost_quit_ends_by_silence()
    {
        var time = new FakeTimeProvider();
        await using DatagramRoom room = await DatagramRoom.StartAsync(time: time, idle: Idle);
        await using LossyRelay relay = new(new IPEndPoint(IPAddress.Loopback, room.Port), Fates, Fates);
        (DatagramLinePeer watcher, string watcherName) = await room.JoinAsync();
        (DatagramLinePeer lossy, string lossyName) = await room.JoinAsync(relay.Port);
        await using (watcher)
        await using (lossy)
        {
            foreach (string line in new[] { "perdu", "double", "premier", "second" }) await lossy.SendLineAsync(line);
            Assert.Equal(
                [$"<{lossyName}> double", $"<{lossyName}> double", $"<{lossyName}> second", $"<{lossyName}> premier"],
                await SaidAsync(watcher, lossyName, 4));

            // The relay's fates go by the line in the datagram: each line is said once the last has left the room, so
            // the member's drain has nothing queued to join with it (a member the room got ahead of gets several lines
            // to a datagram).
            // Once the lossy member reads this, what the room sent it before (the join notice its first line flushed)
            // has been through the relay: the count below is of datagrams still to come.
            await watcher.SendLineAsync("prêt");
            await SaidAsync(lossy, watcherName, 1);
            int toLossy = relay.ToClient.Fates.Count;
            foreach (string line in new[] { "perdu", "double", "premier", "second" })
            {
                await watcher.SendLineAsync(line);
                await relay.ToClient.WaitForHandledAsync(++toLossy);
            }

            Assert.Equal(
                [$"<{watcherName}> double", $"<{watcherName}> double", $"<{watcherName}> second", $"<{watcherName}> premier"],
                await SaidAsync(lossy, watcherName, 4));

            await lossy.SendLineAsync("/quit"); // Lost: the member stays, and nothing waits for it.
            await relay.ToServer.WaitForHandledAsync(2 + 5);
            time.Advance(Idle - TimeSpan.FromSeconds(31));
            await watcher.SendLineAsync("toujours là");
            await room.Console.WaitForAsync($"<{watcherName}> toujours là");
            time.Advance(TimeSpan.FromSeconds(61)); // The lossy member is past the timeout and one sweep; the watcher is not.
            Assert.Equal("No message for 300 s: connection closed.", await lossy.ReadUntilAsync(l => l.StartsWith("No message", StringComparison.Ordinal)));
            Assert.Null(await lossy.ReadLineAsync());
            time.Advance(TimeSpan.FromSeconds(1)); // The notice window closes on the room's clock too.
            await room.Console.WaitForAsync($"{lossyName} left");
            Assert.Equal(1, room.Members.Count);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)]
    [InlineData(2026)]
    public async Task A_seeded_storm_reaches_the_others_as_the_relay_let_it_through_both_ways(int seed)
    {
        // The fake clock stands still: no notice window closes, so only said lines travel while the test counts them.
        await using DatagramRoom room = await DatagramRoom.StartAsync(time: new FakeTimeProvider(), idle: Idle);
        await using LossyRelay relay = new(
            new IPEndPoint(IPAddress.Loopback, room.Port),
            LossyRelay.Seeded(seed, drop: 0.2, dup: 0.1, hold: 0.1, passFirst: 2),
            LossyRelay.Seeded(seed + 1, drop: 0.2, dup: 0.1, hold: 0.1, passFirst: 1));
        (DatagramLinePeer watcher, string watcherName) = await room.JoinAsync();
        (DatagramLinePeer lossy, string lossyName) = await room.JoinAsync(relay.Port);
        await using (watcher)
        await using (lossy)
        {
            // In bursts that the room has said before the next: the room's 256 KiB socket buffer would drop a long burst
            // to a starved room on a loaded machine, a loss no schedule decided.
            List<string> seen = [];
            for (int burst = 0; burst < 10; burst++)
            {
                for (int i = 0; i < 10; i++) await lossy.SendLineAsync($"n {(burst * 10) + i}");
                await relay.ToServer.WaitForHandledAsync(2 + ((burst + 1) * 10));
                seen.AddRange(await SaidAsync(watcher, lossyName, relay.ToServer.ForwardedLines.Count - seen.Count));
            }

            Assert.Equal(relay.ToServer.ForwardedLines.Select(l => $"<{lossyName}> {l}"), seen);
            Assert.Contains(Fate.Drop, relay.ToServer.Fates);
            Assert.Contains(Fate.Double, relay.ToServer.Fates);
            Assert.Contains(Fate.Hold, relay.ToServer.Fates);

            int before = relay.ToClient.Fates.Count; // The welcome: the lossy member is not sent its own lines.
            for (int i = 0; i < 50; i++)
            {
                await watcher.SendLineAsync($"r {i}");
                await relay.ToClient.WaitForHandledAsync(before + i + 1); // One line per datagram, as above.
            }

            IReadOnlyList<string> toLossy = [.. relay.ToClient.ForwardedLines.Where(l => l.StartsWith($"<{watcherName}> ", StringComparison.Ordinal))];
            Assert.Equal(toLossy, await SaidAsync(lossy, watcherName, toLossy.Count));
        }
    }

    /// <summary>Lost, doubled, held (it goes out after the next one), by the line in the datagram.</summary>
    private static Fate Fates(int index, string text) => text.TrimEnd('\n') switch
    {
        "perdu" or "/quit" => Fate.Drop,
        "double" => Fate.Double,
        "premier" => Fate.Hold,
        _ when text.EndsWith("> perdu\n", StringComparison.Ordinal) => Fate.Drop,
        _ when text.EndsWith("> double\n", StringComparison.Ordinal) => Fate.Double,
        _ when text.EndsWith("> premier\n", StringComparison.Ordinal) => Fate.Hold,
        _ => Fate.Pass,
    };

    /// <summary>The next <paramref name="count"/> lines <paramref name="from"/> said, as <paramref name="peer"/> got them (notices skipped).</summary>
    private static async Task<List<string>> SaidAsync(DatagramLinePeer peer, string from, int count)
    {
        List<string> said = [];
        while (said.Count < count) said.Add(await peer.ReadUntilAsync(l => l.StartsWith($"<{from}> ", StringComparison.Ordinal)));
        return said;
    }
}
