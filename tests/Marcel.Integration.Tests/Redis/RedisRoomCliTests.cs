using System.Diagnostics;
using System.Globalization;
using Marcel.Tests.Chat;
using Marcel.Tests.Support;

namespace Marcel.Tests.Redis;

/// <summary>
/// <c>marcel serve --chat --redis</c> as real processes (<see cref="RedisNodes"/>): servers on one real redis-server,
/// TCP clients on each; a server killed with SIGKILL, Redis killed and restarted.
/// </summary>
public sealed class RedisRoomCliTests
{
    private const string Split = "* The room is split: messages reach this server only.";
    private const string Whole = "* The room is whole again: messages reach every server.";

    /// <summary>Reads until a line equal to <paramref name="last"/>; returns every line read.</summary>
    private static async Task<List<string>> ReadThroughAsync(LineClient client, string last)
    {
        var lines = new List<string>();
        while (true)
        {
            string line = await client.ReadLineAsync() ?? throw new InvalidOperationException("closed; seen:\n" + string.Join('\n', lines));
            lines.Add(line);
            if (line == last) return lines;
        }
    }

    /// <summary>Kills Redis and waits until each of <paramref name="told"/> has been told the room is split.</summary>
    private static async Task SplitAsync(RedisNodes room, params LineClient[] told)
    {
        await room.Redis.KillAsync();
        foreach (LineClient client in told) await client.ReadUntilAsync(Split);
    }

    [Fact]
    public async Task Lines_cross_servers_once_names_are_unique_across_them_and_who_stats_and_kick_span_the_room()
    {
        await using RedisNodes room = await RedisNodes.StartAsync();
        (LineClient one, string first) = await room.JoinAsync(0);
        await using LineClient oneClient = one;
        (LineClient two, string second) = await room.JoinAsync(1);
        await using LineClient twoClient = two;

        Assert.NotEqual(first, second);
        await one.ReadJoinedAsync(second);
        await one.SendLineAsync("hello");
        await one.SendLineAsync("end");
        List<string> heard = await ReadThroughAsync(two, $"<{first}> end");
        Assert.Equal(1, heard.Count(l => l == $"<{first}> hello"));

        await one.SendLineAsync("/nick Alice");
        await one.ReadUntilAsync("You are now known as Alice.");
        await two.ReadUntilAsync($"* {first} is now known as Alice.");
        await two.SendLineAsync("/nick alice");
        await two.ReadUntilAsync("The name alice is already taken.");

        await two.SendLineAsync("/who");
        await two.ReadUntilAsync("2 in the room:");
        string[] who = [await two.ReadLineAsync() ?? "", await two.ReadLineAsync() ?? ""];
        Assert.Contains(who, l => l.StartsWith("  Alice from 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(" on alpha", StringComparison.Ordinal));
        Assert.Contains(who, l => l.StartsWith($"  {second} from 127.0.0.1:", StringComparison.Ordinal) && l.EndsWith(" on beta", StringComparison.Ordinal));

        await room[0].WriteLineAsync("/stats");
        await room[0].WaitForOutputAsync("Members per server: alpha 1, beta 1.");
        await room[0].WriteLineAsync("hi all");
        await two.ReadUntilAsync("<Marcel> hi all");

        await room[1].WriteLineAsync("/kick Alice");
        await one.ReadUntilAsync("You were removed from the room by the operator.");
        Assert.Null(await one.ReadLineAsync());
        await two.ReadUntilAsync("* Alice left (removed by the operator).");
    }

    [Fact]
    public async Task Three_servers_300_clients_10_senders_every_receiver_gets_every_line_once_in_each_sender_s_order()
    {
        const int Servers = 3, Clients = 300, Senders = 10, PerSender = 30;
        await using RedisNodes room = await RedisNodes.StartAsync(Servers);
        var clients = new List<LineClient>();
        try
        {
            // Joined a few at a time, spread round-robin, so most lines cross servers.
            for (int i = 0; i < Clients; i += 30)
            {
                (LineClient Client, string Name)[] batch = await Task.WhenAll(Enumerable.Range(i, 30).Select(c => room.JoinAsync(c % Servers)));
                clients.AddRange(batch.Select(b => b.Client));
            }

            // Every receiver reads until it has each other sender's last line: what came before must be 0..N-1, once each, in order.
            Task<List<int>[]>[] reads = [.. clients.Select((client, c) => ReadLinesAsync(client, c < Senders ? c : -1))];
            await Task.WhenAll(Enumerable.Range(0, Senders).Select(async s =>
            {
                for (int i = 0; i < PerSender; i++) await clients[s].SendLineAsync($"m {s} {i}");
            }));

            List<int>[][] heard = await Task.WhenAll(reads);
            int[] expected = [.. Enumerable.Range(0, PerSender)];
            for (int c = 0; c < Clients; c++)
            {
                for (int s = 0; s < Senders; s++)
                {
                    if (s != c) Assert.True(expected.SequenceEqual(heard[c][s]), $"client {c} from sender {s}: {string.Join(',', heard[c][s])}");
                }
            }
        }
        finally
        {
            foreach (LineClient client in clients) await client.DisposeAsync();
        }

        async Task<List<int>[]> ReadLinesAsync(LineClient client, int self)
        {
            List<int>[] got = [.. Enumerable.Range(0, Senders).Select(_ => new List<int>())];
            int done = self >= 0 ? 1 : 0;
            while (done < Senders)
            {
                string line = await client.ReadLineAsync() ?? throw new InvalidOperationException("closed");
                int at = line.IndexOf("> m ", StringComparison.Ordinal);
                if (line[0] != '<' || at < 0) continue; // Join notices and the like.
                string[] parts = line[(at + 4)..].Split(' ');
                int sender = int.Parse(parts[0], CultureInfo.InvariantCulture), number = int.Parse(parts[1], CultureInfo.InvariantCulture);
                got[sender].Add(number);
                if (number == PerSender - 1) done++;
            }

            return got;
        }
    }

    [Fact]
    public async Task A_server_killed_with_SIGKILL_has_its_members_announced_gone_and_their_names_freed_within_seconds()
    {
        await using RedisNodes room = await RedisNodes.StartAsync();
        (LineClient one, _) = await room.JoinAsync(0);
        await using LineClient oneClient = one;
        (LineClient two, string second) = await room.JoinAsync(1);
        await using LineClient twoClient = two;

        await two.SendLineAsync("/nick Bob");
        await one.ReadUntilAsync($"* {second} is now known as Bob.");

        var clock = Stopwatch.StartNew();
        room[1].Signal(9);
        await one.ReadUntilAsync("* Bob left.");
        TestContext.Current.SendDiagnosticMessage($"SIGKILLed server's member announced gone after {clock.ElapsedMilliseconds} ms");

        await one.SendLineAsync("/nick bob");
        await one.ReadUntilAsync("You are now known as bob.");
        await one.SendLineAsync("/who");
        Assert.Equal("1 in the room:", await one.ReadUntilAsync(" in the room:"));
    }

    [Fact]
    public async Task Redis_going_away_splits_the_room_each_server_keeps_talking_and_the_room_is_whole_once_it_is_back()
    {
        await using RedisNodes room = await RedisNodes.StartAsync();
        (LineClient one, string first) = await room.JoinAsync(0);
        await using LineClient oneClient = one;
        (LineClient local, _) = await room.JoinAsync(0);
        await using LineClient localClient = local;
        (LineClient two, string second) = await room.JoinAsync(1);
        await using LineClient twoClient = two;

        await one.ReadJoinedAsync(second);
        await SplitAsync(room, one, two);
        await room[0].WaitForOutputAsync(Split);

        await one.SendLineAsync("during the split");
        await local.ReadUntilAsync($"<{first}> during the split"); // The server's own room goes on.

        await room.Redis.RestartAsync();
        await one.ReadUntilAsync(Whole);
        List<string> beforeWhole = await ReadThroughAsync(two, Whole);
        Assert.DoesNotContain($"<{first}> during the split", beforeWhole); // At-most-once: never delivered late.

        await one.SendLineAsync("whole again");
        await two.ReadUntilAsync($"<{first}> whole again");
        await two.SendLineAsync("/who");
        Assert.Equal("3 in the room:", await two.ReadUntilAsync(" in the room:"));
        Assert.True(!room[0].HasExited && !room[1].HasExited);
    }

    [Fact]
    public async Task A_nick_taken_during_a_split_holds_across_the_room_once_it_is_whole_and_frees_the_old_name()
    {
        await using RedisNodes room = await RedisNodes.StartAsync();
        (LineClient one, string first) = await room.JoinAsync(0);
        await using LineClient oneClient = one;
        (LineClient two, string second) = await room.JoinAsync(1);
        await using LineClient twoClient = two;
        await one.ReadJoinedAsync(second);

        await SplitAsync(room, one, two);
        await one.SendLineAsync("/nick Alice");
        await one.ReadUntilAsync("You are now known as Alice."); // Checked against what alpha knew: beta is not told yet.

        await room.Redis.RestartAsync();
        await one.ReadUntilAsync(Whole); // alpha has registered its members again (Redis came back empty) before it says so.
        await two.ReadUntilAsync(Whole);
        // beta learns of the rename from alpha's announcement or from its own reload of who is where: either way a notice.
        await two.ReadUntilAsync(l => l == $"* {first} is now known as Alice." || l == "* Alice joined.");

        await two.SendLineAsync("/nick alice");
        await two.ReadUntilAsync("The name alice is already taken.");
        await two.SendLineAsync($"/nick {first}");
        await two.ReadUntilAsync($"You are now known as {first}.");
        await one.ReadUntilAsync($"* {second} is now known as {first}.");
        await one.SendLineAsync("/who");
        await one.ReadUntilAsync("2 in the room:");
        string[] who = [await one.ReadLineAsync() ?? "", await one.ReadLineAsync() ?? ""];
        Assert.Contains(who, l => l.StartsWith("  Alice from ", StringComparison.Ordinal) && l.EndsWith(" on alpha", StringComparison.Ordinal));
        Assert.Contains(who, l => l.StartsWith($"  {first} from ", StringComparison.Ordinal) && l.EndsWith(" on beta", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redis_absent_at_start_is_one_line_and_exit_code_2_unless_asked_to_start_split()
    {
        await using RedisNodes room = await RedisNodes.StartAsync(servers: 0);
        await room.Redis.KillAsync();
        await using PeerProcess refused = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", room.Redis.Url], null);
        Assert.Equal(2, await refused.WaitForExitAsync());
        Assert.Equal($"Cannot reach Redis at 127.0.0.1:{room.Redis.Port}: connection refused (is redis-server running there? --start-split starts anyway).", refused.Error.Trim());

        await room.AddAsync("alpha", "--start-split");
        (LineClient one, _) = await room.JoinAsync(0);
        await using LineClient oneClient = one;
        await room.Redis.RestartAsync();
        await one.ReadUntilAsync(Whole);
    }

    [Fact]
    public async Task A_password_comes_from_the_environment_only()
    {
        await using RedisServer redis = await RedisServer.StartAsync(password: "s3cret-pw");
        await using PeerProcess wrong = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", redis.Url], new Dictionary<string, string> { ["MARCEL_REDIS_PASSWORD"] = "nope" });
        Assert.Equal(2, await wrong.WaitForExitAsync());
        Assert.Contains("the user or the password was refused", wrong.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("nope", wrong.Error + wrong.Output, StringComparison.Ordinal);

        await using PeerProcess inUrl = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", $"redis://default:s3cret-pw@127.0.0.1:{redis.Port}"], null);
        Assert.Equal(1, await inUrl.WaitForExitAsync());
        Assert.Contains("MARCEL_REDIS_PASSWORD", inUrl.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", inUrl.Error + inUrl.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_clients_joining_two_servers_at_once_never_share_a_name()
    {
        await using RedisNodes room = await RedisNodes.StartAsync();
        (LineClient Client, string Name)[] joined = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => room.JoinAsync(i % 2)));
        try
        {
            Assert.Equal(60, joined.Select(j => j.Name.ToUpperInvariant()).Distinct().Count());
        }
        finally
        {
            foreach ((LineClient client, _) in joined) await client.DisposeAsync();
        }
    }
}
