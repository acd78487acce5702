using System.Net;
using System.Net.Sockets;
using Marcel.Core.Chat;
using Marcel.Core.Hosting;
using Marcel.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Chat;

/// <summary>The room's limits: size, addresses, idleness, connection accounting, and the socket options it relies on.</summary>
public class ChatLimitsTests
{
    [Fact]
    public async Task The_client_over_max_clients_is_told_the_room_is_full_and_closed()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync(new ChatOptions { MaxClients = 2 });
        (LineClient a, _) = await room.JoinAsync();
        (LineClient b, _) = await room.JoinAsync();
        await using (a) await using (b)
        {
            await using LineClient c = await LineClient.ConnectAsync(room.Port);
            Assert.Equal(["The room is full (2 people); try again later."], await c.ReadToEndAsync());
            await room.Console.WaitForAsync("the room is full (2)");

            // Once someone leaves, there is room again.
            await a.SendLineAsync("/quit");
            await a.ReadToEndAsync();
            await b.ReadUntilAsync(" left");
            (LineClient d, _) = await room.JoinAsync();
            await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_denied_address_is_closed_without_a_greeting_and_the_console_notes_it()
    {
        var options = new ChatOptions { Access = new ChatAccess([], [IPNetwork.Parse("127.0.0.0/8")]) };
        await using InProcessRoom room = await InProcessRoom.StartAsync(options);
        await using LineClient client = await LineClient.ConnectAsync(room.Port);
        Assert.Empty(await client.ReadToEndAsync());
        await room.Console.WaitForAsync("Refused 127.0.0.1:");
        Assert.Equal(0, room.Server.MemberCount);
    }

    [Fact]
    public async Task An_allow_list_lets_its_network_in_and_keeps_others_out()
    {
        var allowed = new ChatOptions { Access = new ChatAccess([IPNetwork.Parse("127.0.0.1/32")], []) };
        await using (InProcessRoom room = await InProcessRoom.StartAsync(allowed))
        {
            (LineClient a, _) = await room.JoinAsync();
            await a.DisposeAsync();
        }

        var onlyV6 = new ChatOptions { Access = new ChatAccess([IPNetwork.Parse("::1/128")], []) };
        await using (InProcessRoom room = await InProcessRoom.StartAsync(onlyV6))
        {
            await using LineClient client = await LineClient.ConnectAsync(room.Port);
            Assert.Empty(await client.ReadToEndAsync());
        }
    }

    [Fact]
    public async Task Ipv6_clients_are_matched_against_ipv6_networks()
    {
        if (!Socket.OSSupportsIPv6) Assert.Skip("no IPv6 on this machine");
        var options = new ChatOptions { Access = new ChatAccess([], [IPNetwork.Parse("::1/128")]) };
        InProcessRoom room;
        try
        {
            room = await InProcessRoom.StartAsync(options, host: "::1");
        }
        catch (ServerBindException)
        {
            Assert.Skip("::1 is not configured on this machine");
            return;
        }

        await using (room)
        {
            await using LineClient client = await LineClient.ConnectAsync(room.Port, IPAddress.IPv6Loopback);
            Assert.Empty(await client.ReadToEndAsync());
            await room.Console.WaitForAsync("Refused [::1]:");
        }
    }

    [Fact]
    public async Task The_idle_timeout_closes_only_the_idle_client()
    {
        // The room's clock is the subject: a fake one, moved by the test, so the outcome never rests on scheduling luck.
        var time = new FakeTimeProvider();
        var options = new ChatOptions { IdleTimeout = TimeSpan.FromSeconds(10) };
        await using InProcessRoom room = await InProcessRoom.StartAsync(options, time: time);
        (LineClient idle, string idleName) = await room.JoinAsync();
        (LineClient busy, string busyName) = await room.JoinAsync();
        (LineClient watcher, _) = await room.JoinAsync();
        await using (idle) await using (busy) await using (watcher)
        {
            // At 6 s the busy two talk; at 11 s the idle one has been quiet for 11 s, the others for 5.
            time.Advance(TimeSpan.FromSeconds(6));
            await busy.SendLineAsync("tick");
            await watcher.SendLineAsync("tock");
            Assert.Equal($"<{busyName}> tick", await watcher.ReadMessageAsync()); // Seen, so heard at the new time.
            Assert.EndsWith("> tock", await busy.ReadMessageAsync(), StringComparison.Ordinal);
            time.Advance(TimeSpan.FromSeconds(5));
            List<string> rest = await idle.ReadToEndAsync();
            Assert.Equal("No message for 10 s: connection closed.", rest.Last());
            time.Advance(options.NoticeWindow);
            Assert.Equal($"* {idleName} left (idle too long).", await watcher.ReadUntilAsync(" left"));
            Assert.Equal(2, room.Server.MemberCount);

            await busy.SendLineAsync("still here");
            Assert.Equal($"<{busyName}> still here", await watcher.ReadUntilAsync("still here"));
        }
    }

    [Fact]
    public async Task A_kicked_client_that_keeps_its_side_open_is_cut_off_once_the_grace_is_over()
    {
        // Over plain TCP a quiet member's wait has no token: the kick takes its close over (last line, FIN) and only the
        // peer's close, or the end of the grace on the room's clock, ends the connection.
        var time = new FakeTimeProvider();
        await using InProcessRoom room = await InProcessRoom.StartAsync(time: time);
        (LineClient kicked, string name) = await room.JoinAsync();
        (LineClient watcher, _) = await room.JoinAsync();
        await using (kicked) await using (watcher)
        {
            await kicked.SendAsync("half a li"); // A line in progress: its read waits for the rest.
            room.Console.Type("/kick " + name);
            List<string> rest = await kicked.ReadToEndAsync(); // Our FIN came; the client does not close.
            Assert.Equal("You were removed from the room by the operator.", rest.Last());
            Assert.Equal(2, room.Server.ConnectionCount);

            time.Advance(new ChatOptions().ShutdownGrace);
            await WaitUntilAsync(() => room.Server.ConnectionCount == 1, () => $"{room.Server.ConnectionCount} connections after the grace");
            time.Advance(new ChatOptions().NoticeWindow);
            Assert.Equal($"* {name} left (removed by the operator).", await watcher.ReadUntilAsync(" left"));
        }
    }

    [Fact]
    public async Task A_line_over_max_line_closes_only_its_sender_with_a_notice()
    {
        var options = new ChatOptions { Lines = new Core.Framing.LineOptions { MaxLineBytes = 100 } };
        await using InProcessRoom room = await InProcessRoom.StartAsync(options);
        (LineClient talker, string talkerName) = await room.JoinAsync();
        (LineClient watcher, _) = await room.JoinAsync();
        await using (talker) await using (watcher)
        {
            await talker.SendLineAsync(new string('x', 200));
            List<string> rest = await talker.ReadToEndAsync();
            Assert.Equal("Message too long (over 100 bytes): connection closed.", rest.Last());
            Assert.Equal($"* {talkerName} left (line too long).", await watcher.ReadUntilAsync(" left"));
        }
    }

    [Fact]
    public async Task A_line_over_max_line_with_more_input_behind_it_still_gets_its_notice_not_a_reset()
    {
        // Closing with input unread makes the kernel send a reset and drop what it has not sent yet: here the room's
        // lines and the notice, held back by a reader that is a little behind. The room ends its side and reads the
        // input away instead, so the notice arrives after everything before it.
        var options = new ChatOptions { Lines = new Core.Framing.LineOptions { MaxLineBytes = 1000 } };
        await using InProcessRoom room = await InProcessRoom.StartAsync(options);
        (LineClient other, _) = await room.JoinAsync();
        using var talker = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await talker.ConnectAsync(new IPEndPoint(IPAddress.Loopback, room.Port), TestContext.Current.CancellationToken);
        await using var stream = new NetworkStream(talker, ownsSocket: false);
        using var reader = new StreamReader(stream);
        string welcome = await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
        string talkerName = welcome[(welcome.IndexOf("you are ", StringComparison.Ordinal) + 8)..welcome.IndexOf(". /help", StringComparison.Ordinal)];
        await using (other)
        {
            string filler = new('z', 900);
            for (int n = 0; n < 300; n++) await other.SendLineAsync($"{n} {filler}"); // ~270 KB the talker has not read yet.
            await other.SendLineAsync("/who"); // Answered after the 300 lines are read, so they are all queued by then.
            await other.ReadUntilAsync(" in the room:");

            byte[] input = System.Text.Encoding.ASCII.GetBytes(new string('x', 2000) + "\n" + new string('y', 60_000));
            await stream.WriteAsync(input, TestContext.Current.CancellationToken);
            await room.Console.WaitForAsync($"{talkerName} left (line too long)");

            var lines = new List<string>();
            while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line) lines.Add(line);
            Assert.Equal(300, lines.Count(l => l.Contains(filler, StringComparison.Ordinal)));
            Assert.Equal("Message too long (over 1000 bytes): connection closed.", lines.Last());
        }
    }

    [Fact]
    public async Task A_thousand_connect_disconnect_cycles_leave_no_connection_behind()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync(new ChatOptions { NoticeWindow = TimeSpan.FromMilliseconds(20) });
        (LineClient watcher, _) = await room.JoinAsync();
        await using (watcher)
        {
            Task drain = watcher.ReadToEndAsync();
            for (int i = 0; i < 1000; i++)
            {
                if (i % 3 == 0)
                {
                    // A polite client: reads the welcome, says FIN, reads the goodbye.
                    (LineClient c, _) = await room.JoinAsync();
                    await c.SendLineAsync("FIN");
                    await c.ReadToEndAsync();
                    await c.DisposeAsync();
                }
                else
                {
                    // A rude one: connects and hangs up (or resets) at once.
                    LineClient c = await LineClient.ConnectAsync(room.Port);
                    if (i % 3 == 2) c.Socket.LingerState = new LingerOption(true, 0);
                    await c.DisposeAsync();
                }
            }

            await Eventually.TrueAsync(() => room.Server.ConnectionCount == 1 && room.Server.MemberCount == 1, () => $"{room.Server.ConnectionCount} connections");
            await room.StopAsync();
            await Eventually.TrueAsync(() => room.Server.ConnectionCount == 0, () => $"{room.Server.ConnectionCount} connections after shutdown");
            await drain.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeouts.Step) Assert.Fail("Timed out: " + describe());
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
