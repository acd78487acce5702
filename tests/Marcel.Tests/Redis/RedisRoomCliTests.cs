using System.Diagnostics;
using System.Globalization;
using Marcel.Tests.Chat;
using Marcel.Tests.Support;

namespace Marcel.Tests.Redis;

/// <summary>
/// <c>marcel serve --chat --redis</c> as real processes: two servers on one real redis-server, TCP clients on each;
/// a server killed with SIGKILL, Redis killed and restarted.
/// </summary>
public sealed class RedisRoomCliTests
{
    private const string Split = "* The room is split: messages reach this server only.";
    private const string Whole = "* The room is whole again: messages reach every server.";

    private static async Task<(PeerProcess Server, int Port)> NodeAsync(RedisServer redis, string node, params string[] extra)
    {
        PeerProcess server = MarcelCli.Start(["serve", "--chat", "--host", "127.0.0.1", "--port", "0", "--redis", redis.Url, "--node", node, .. extra], null);
        string output = await server.WaitForOutputAsync("listening on 127.0.0.1:");
        int at = output.IndexOf("listening on 127.0.0.1:", StringComparison.Ordinal) + "listening on 127.0.0.1:".Length;
        int end = at;
        while (end < output.Length && char.IsAsciiDigit(output[end])) end++;
        return (server, int.Parse(output[at..end], CultureInfo.InvariantCulture));
    }

    private static async Task<(LineClient Client, string Name)> JoinAsync(int port)
    {
        LineClient client = await LineClient.ConnectAsync(port);
        string welcome = await client.ReadUntilAsync("you are ");
        string name = welcome[(welcome.IndexOf("you are ", StringComparison.Ordinal) + 8)..welcome.IndexOf('.', welcome.IndexOf("you are ", StringComparison.Ordinal))];
        return (client, name);
    }

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

    [Fact]
    public async Task Lines_cross_servers_once_names_are_unique_across_them_and_who_stats_and_kick_span_the_room()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (PeerProcess a, int portA) = await NodeAsync(redis, "alpha");
        await using (a)
        {
            (PeerProcess b, int portB) = await NodeAsync(redis, "beta");
            await using (b)
            {
                (LineClient one, string first) = await JoinAsync(portA);
                await using (one)
                {
                    (LineClient two, string second) = await JoinAsync(portB);
                    await using (two)
                    {
                        Assert.NotEqual(first, second);
                        await one.ReadUntilAsync($"* {second} joined.");
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

                        await a.WriteLineAsync("/stats");
                        await a.WaitForOutputAsync("Members per server: alpha 1, beta 1.");
                        await a.WriteLineAsync("hi all");
                        await two.ReadUntilAsync("<Marcel> hi all");

                        await b.WriteLineAsync("/kick Alice");
                        await one.ReadUntilAsync("You were removed from the room by the operator.");
                        Assert.Null(await one.ReadLineAsync());
                        await two.ReadUntilAsync("* Alice left (removed by the operator).");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task A_server_killed_with_SIGKILL_has_its_members_announced_gone_and_their_names_freed_within_seconds()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (PeerProcess a, int portA) = await NodeAsync(redis, "alpha");
        await using (a)
        {
            (PeerProcess b, int portB) = await NodeAsync(redis, "beta");
            (LineClient one, _) = await JoinAsync(portA);
            await using (one)
            await using (b)
            {
                (LineClient two, string second) = await JoinAsync(portB);
                await using (two)
                {
                    await two.SendLineAsync("/nick Bob");
                    await one.ReadUntilAsync($"* {second} is now known as Bob.");

                    var clock = Stopwatch.StartNew();
                    b.Signal(9);
                    await one.ReadUntilAsync("* Bob left.");
                    TestContext.Current.SendDiagnosticMessage($"SIGKILLed server's member announced gone after {clock.ElapsedMilliseconds} ms");

                    await one.SendLineAsync("/nick bob");
                    await one.ReadUntilAsync("You are now known as bob.");
                    await one.SendLineAsync("/who");
                    Assert.Equal("1 in the room:", await one.ReadUntilAsync(" in the room:"));
                }
            }
        }
    }

    [Fact]
    public async Task Redis_going_away_splits_the_room_each_server_keeps_talking_and_the_room_is_whole_once_it_is_back()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        (PeerProcess a, int portA) = await NodeAsync(redis, "alpha");
        await using (a)
        {
            (PeerProcess b, int portB) = await NodeAsync(redis, "beta");
            await using (b)
            {
                (LineClient one, string first) = await JoinAsync(portA);
                (LineClient local, string neighbour) = await JoinAsync(portA);
                (LineClient two, string second) = await JoinAsync(portB);
                await using (one)
                await using (local)
                await using (two)
                {
                    await one.ReadUntilAsync($"* {second} joined.");
                    await redis.KillAsync();
                    await one.ReadUntilAsync(Split);
                    await two.ReadUntilAsync(Split);
                    await a.WaitForOutputAsync(Split);

                    await one.SendLineAsync("during the split");
                    await local.ReadUntilAsync($"<{first}> during the split"); // The server's own room goes on.

                    await redis.RestartAsync();
                    await one.ReadUntilAsync(Whole);
                    List<string> beforeWhole = await ReadThroughAsync(two, Whole);
                    Assert.DoesNotContain($"<{first}> during the split", beforeWhole); // At-most-once: never delivered late.

                    await one.SendLineAsync("whole again");
                    await two.ReadUntilAsync($"<{first}> whole again");
                    await two.SendLineAsync("/who");
                    Assert.Equal("3 in the room:", await two.ReadUntilAsync(" in the room:"));
                    Assert.True(!a.HasExited && !b.HasExited);
                    _ = neighbour;
                }
            }
        }
    }

    [Fact]
    public async Task Redis_absent_at_start_is_one_line_and_exit_code_2_unless_asked_to_start_split()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await redis.KillAsync();
        await using PeerProcess refused = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", redis.Url], null);
        Assert.Equal(2, await refused.WaitForExitAsync());
        Assert.Equal($"Cannot reach Redis at 127.0.0.1:{redis.Port}: connection refused (is redis-server running there? --start-split starts anyway).", refused.Error.Trim());

        (PeerProcess split, int port) = await NodeAsync(redis, "alpha", "--start-split");
        await using (split)
        {
            (LineClient one, _) = await JoinAsync(port);
            await using (one)
            {
                await redis.RestartAsync();
                await one.ReadUntilAsync(Whole);
            }
        }
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
        await using RedisServer redis = await RedisServer.StartAsync();
        (PeerProcess a, int portA) = await NodeAsync(redis, "alpha");
        await using (a)
        {
            (PeerProcess b, int portB) = await NodeAsync(redis, "beta");
            await using (b)
            {
                (LineClient Client, string Name)[] joined = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => JoinAsync(i % 2 == 0 ? portA : portB)));
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
    }
}
