using System.Text;
using Marcel.Core.Chat;
using Marcel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Chat;

/// <summary>The room's behaviour, on a room run in process with raw socket clients.</summary>
public class ChatRoomTests
{
    [Fact]
    public async Task A_line_reaches_every_other_client_once_with_its_sender_s_name_and_utf8_intact()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, string nameB) = await room.JoinAsync();
        (LineClient c, _) = await room.JoinAsync();
        await using (a) await using (b) await using (c)
        {
            await a.SendLineAsync("Vous êtes connecté ✓");
            Assert.Equal($"<{nameA}> Vous êtes connecté ✓", await b.ReadMessageAsync());
            Assert.Equal($"<{nameA}> Vous êtes connecté ✓", await c.ReadMessageAsync());

            // The sender does not get its own line back: the next message it sees is b's.
            await b.SendLineAsync("marker");
            Assert.Equal($"<{nameB}> marker", await a.ReadMessageAsync());
        }
    }

    [Fact]
    public async Task Invalid_UTF8_reaches_the_others_with_replacement_characters_and_its_sender_alone_is_told_once()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, string nameB) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await a.SendAsync(new byte[] { (byte)'a', 0xC3, (byte)'b', 0xFF, (byte)'\n' });
            Assert.Equal($"<{nameA}> a\uFFFDb\uFFFD", await b.ReadMessageAsync());
            await a.SendAsync(new byte[] { 0xFF, 0xFE, (byte)' ', (byte)'x', (byte)'\n' });
            Assert.Equal($"<{nameA}> \uFFFD\uFFFD x", await b.ReadMessageAsync());

            // a's queue keeps order: whatever the room told it about its two lines comes before b's marker.
            await b.SendLineAsync("marker");
            List<string> toA = await ReadThroughAsync(a, $"<{nameB}> marker");
            Assert.Single(toA, l => l == InvalidUtf8Notice);

            await a.SendLineAsync("fine again");
            List<string> toB = await ReadThroughAsync(b, $"<{nameA}> fine again");
            Assert.DoesNotContain(InvalidUtf8Notice, toB);
        }
    }

    [Fact]
    public async Task Newcomers_get_user_names_a_welcome_and_who_is_here_and_the_room_is_told()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        await using (a)
        {
            Assert.Matches("^user[0-9]+$", nameA);
            await using LineClient b = await LineClient.ConnectAsync(room.Port);
            string welcome = await b.ReadLineAsync() ?? "";
            Assert.Contains("Welcome to Marcel's chat room, you are user", welcome, StringComparison.Ordinal);
            Assert.Equal($"Here: {nameA}.", await b.ReadLineAsync());
            string nameB = welcome[(welcome.IndexOf("you are ", StringComparison.Ordinal) + 8)..welcome.LastIndexOf(". /help", StringComparison.Ordinal)];
            Assert.Matches($@"^\* ({nameB} joined|2 people joined: .*{nameB}.*)\.$", await a.ReadUntilAsync(nameB));
            await room.Console.WaitForAsync(nameB);
        }
    }

    [Fact]
    public async Task Lines_are_whole_and_prefixed_once_however_tcp_splits_or_joins_them()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (a) await using (b)
        {
            byte[] bytes = Encoding.UTF8.GetBytes("one\ntwo é\r\nthr");
            foreach (byte x in bytes) await a.SendAsync(new[] { x });
            await a.SendAsync(Encoding.UTF8.GetBytes("ee\nfour\nfive\n"));
            foreach (string expected in new[] { "one", "two é", "three", "four", "five" })
            {
                Assert.Equal($"<{nameA}> {expected}", await b.ReadMessageAsync());
            }
        }
    }

    [Fact]
    public async Task Nick_renames_announces_and_refuses_taken_or_invalid_names()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, string nameB) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await a.SendLineAsync("/nick Alice");
            Assert.Equal("You are now known as Alice.", await a.ReadMessageAsync());
            Assert.Equal($"* {nameA} is now known as Alice.", await b.ReadUntilAsync("known as"));
            await a.SendLineAsync("after");
            Assert.Equal("<Alice> after", await b.ReadMessageAsync());

            await b.SendLineAsync("/nick alice");
            Assert.Equal("The name alice is already taken.", await b.ReadMessageAsync());
            await b.SendLineAsync("/nick bad name!");
            Assert.StartsWith("Invalid name", await b.ReadMessageAsync(), StringComparison.Ordinal);
            await b.SendLineAsync("/nick Marcel");
            Assert.Equal("The name Marcel is the server's own; choose another.", await b.ReadMessageAsync());
            await b.SendLineAsync("/nick Élodie");
            Assert.Equal("Invalid name Élodie: only ASCII letters (no accents), digits, '-', '_' and '.'.", await b.ReadMessageAsync());
            await b.SendLineAsync("/nick " + new string('a', 33));
            Assert.Equal("Invalid name: 32 characters at most.", await b.ReadMessageAsync());
            await b.SendLineAsync("/nick 2pac");
            Assert.Equal("Invalid name 2pac: it must not start with a digit.", await b.ReadMessageAsync());
            await b.SendLineAsync("/nick");
            Assert.Equal("Usage: /nick NAME", await b.ReadMessageAsync());

            // None of that was broadcast: a's next message is b's marker.
            await b.SendLineAsync("marker");
            Assert.Equal($"<{nameB}> marker", await a.ReadMessageAsync());
        }
    }

    [Fact]
    public async Task Who_help_and_unknown_commands_are_answered_privately()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, string nameB) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await a.SendLineAsync("/who");
            Assert.Equal("2 in the room:", await a.ReadMessageAsync());
            string[] entries = [await a.ReadMessageAsync(), await a.ReadMessageAsync()];
            Assert.Contains(entries, e => e.StartsWith($"  {nameA} from 127.0.0.1:", StringComparison.Ordinal));
            Assert.Contains(entries, e => e.StartsWith($"  {nameB} from 127.0.0.1:", StringComparison.Ordinal));

            await a.SendLineAsync("/help");
            Assert.Equal("Commands:", await a.ReadMessageAsync());
            Assert.Contains("/nick NAME", await a.ReadMessageAsync(), StringComparison.Ordinal);

            await a.SendLineAsync("/dance");
            Assert.Equal("Unknown command /dance: /help lists the commands.", await a.ReadUntilAsync("Unknown"));
            await a.SendLineAsync("/kick " + nameB);
            Assert.Equal("Unknown command /kick: /help lists the commands.", await a.ReadUntilAsync("Unknown"));

            await a.SendLineAsync("marker");
            Assert.Equal($"<{nameA}> marker", await b.ReadMessageAsync());
        }
    }

    [Theory]
    [InlineData("FIN")]
    [InlineData("/quit")]
    public async Task Quit_and_FIN_end_the_session_with_the_goodbye_and_the_room_is_told(string farewell)
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await a.SendLineAsync(farewell);
            List<string> rest = await a.ReadToEndAsync();
            Assert.Equal("Goodbye!", rest.Last());
            Assert.Equal($"* {nameA} left.", await b.ReadUntilAsync(" left"));
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_leaves_and_the_room_is_told()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (b)
        {
            await a.DisposeAsync();
            Assert.Equal($"* {nameA} left.", await b.ReadUntilAsync(" left"));
        }
    }

    [Fact]
    public async Task Operator_lines_go_to_everyone_under_the_server_s_name_and_kick_and_who_work()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (a) await using (b)
        {
            room.Console.Type("Bonjour à tous");
            Assert.Equal("<Marcel> Bonjour à tous", await a.ReadMessageAsync());
            Assert.Equal("<Marcel> Bonjour à tous", await b.ReadMessageAsync());

            room.Console.Type("/who");
            await room.Console.WaitForAsync("2 in the room, 2 connections open:");
            await room.Console.WaitForAsync($"  {nameA} from 127.0.0.1:");

            room.Console.Type("/kick " + nameA);
            List<string> rest = await a.ReadToEndAsync();
            Assert.Equal("You were removed from the room by the operator.", rest.Last());
            Assert.Equal($"* {nameA} left (removed by the operator).", await b.ReadUntilAsync(" left"));
            await room.Console.WaitForAsync($"* {nameA} left (removed by the operator).");

            room.Console.Type("/kick nobody");
            await room.Console.WaitForAsync("Nobody here is called nobody.");
        }
    }

    [Fact]
    public async Task With_the_operator_s_input_closed_the_room_keeps_serving()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        room.Console.CloseInput();
        await room.Console.WaitForAsync("Console input closed");
        (LineClient a, string nameA) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await a.SendLineAsync("still here");
            Assert.Equal($"<{nameA}> still here", await b.ReadMessageAsync());
        }
    }

    [Fact]
    public async Task Fifty_joins_within_one_notice_window_are_announced_in_one_line()
    {
        // The window is the room's clock: held still until all fifty are in, then moved past the window.
        var time = new FakeTimeProvider();
        await using InProcessRoom room = await InProcessRoom.StartAsync(time: time);
        (LineClient watcher, string watcherName) = await room.JoinAsync();
        time.Advance(TimeSpan.FromSeconds(1)); // The watcher's own join is announced (to nobody else) and done with.
        var crowd = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => LineClient.ConnectAsync(room.Port)));
        try
        {
            await Eventually.TrueAsync(() => room.Server.MemberCount == 51);
            time.Advance(TimeSpan.FromMilliseconds(100));
            string notice = await watcher.ReadUntilAsync(" joined");
            Assert.Matches(@"^\* 50 people joined: (user[0-9]+, ){9}user[0-9]+ and 40 others\.$", notice);
            Assert.DoesNotContain(watcherName + ",", notice, StringComparison.Ordinal);

            // The next newcomer's "who is here" is short, whatever the size of the room.
            await using LineClient late = await LineClient.ConnectAsync(room.Port);
            await late.ReadLineAsync();
            Assert.StartsWith($"51 people here, among them {watcherName}, user", await late.ReadLineAsync(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (LineClient c in crowd) await c.DisposeAsync();
            await watcher.DisposeAsync();
        }
    }


    [Fact]
    public async Task Shutdown_says_goodbye_to_every_client_and_closes_them_within_two_seconds()
    {
        InProcessRoom room = await InProcessRoom.StartAsync();
        await using (room)
        {
            var clients = new List<LineClient>();
            for (int i = 0; i < 5; i++) clients.Add((await room.JoinAsync()).Client);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Task stopped = room.StopAsync();
            foreach (LineClient client in clients)
            {
                List<string> rest = await client.ReadToEndAsync();
                Assert.Equal("The server is shutting down. Goodbye!", rest.Last());
                await client.DisposeAsync();
            }

            await stopped.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"shutdown took {clock.Elapsed}");
            Assert.Equal(0, room.Server.ConnectionCount);
        }
    }

    internal const string InvalidUtf8Notice = "* A line you sent was not valid UTF-8: it went to the room with \uFFFD in place of the invalid bytes (you are told this once).";

    /// <summary>Reads lines until <paramref name="last"/>; returns every line read, <paramref name="last"/> included.</summary>
    internal static async Task<List<string>> ReadThroughAsync(LineClient client, string last)
    {
        var lines = new List<string>();
        do lines.Add(await client.ReadLineAsync() ?? throw new InvalidOperationException("closed; seen:\n" + string.Join('\n', lines)));
        while (lines[^1] != last);
        return lines;
    }
}
