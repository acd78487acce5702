using System.Net.WebSockets;
using Marcel.Core.Chat;

namespace Marcel.Web.Tests;

/// <summary>The WebSocket member in a room it shares with TCP clients: limits, refusals, leaving.</summary>
public sealed class WebSocketMemberTests
{
    [Fact]
    public async Task A_frame_holding_newlines_reaches_a_tcp_client_as_several_lines_in_order()
    {
        await using MixedRoom room = await MixedRoom.StartAsync();
        (LineClient tcp, _) = await room.Tcp.JoinAsync();
        (SocketClient web, string name) = await room.JoinWebAsync();
        await web.SendAsync("un\ndeux\r\ntrois é 🎉");
        Assert.Equal($"<{name}> un", await ReadSaidAsync(tcp));
        Assert.Equal($"<{name}> deux", await tcp.ReadLineAsync());
        Assert.Equal($"<{name}> trois é 🎉", await tcp.ReadLineAsync());

        await tcp.SendLineAsync("bien reçu");
        Assert.EndsWith("> bien reçu", await web.ReadLineStartingAsync("<"), StringComparison.Ordinal);
        await tcp.DisposeAsync();
        await web.DisposeAsync();
    }

    [Fact]
    public async Task A_message_over_max_line_gets_the_notice_and_1009_and_the_room_is_told()
    {
        await using MixedRoom room = await MixedRoom.StartAsync(new ChatOptions { Lines = new() { MaxLineBytes = 100 } });
        (LineClient tcp, _) = await room.Tcp.JoinAsync();
        (SocketClient web, string name) = await room.JoinWebAsync();
        await web.SendAsync(new string('x', 101));
        Assert.Equal("Message too long (over 100 bytes): connection closed.", await web.ReadLineStartingAsync("Message too long"));
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await web.ReceiveCloseAsync());
        Assert.Equal($"* {name} left (line too long).", await ReadNoticeAsync(tcp, " left"));
    }

    [Fact]
    public async Task A_binary_message_gets_a_notice_and_1003()
    {
        await using MixedRoom room = await MixedRoom.StartAsync();
        (SocketClient web, _) = await room.JoinWebAsync();
        await web.SendAsync([0x68, 0x69], WebSocketMessageType.Binary);
        Assert.Equal("Binary messages are not accepted: connection closed.", await web.ReadLineStartingAsync("Binary"));
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, await web.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Invalid_utf8_closes_with_1007_and_the_room_is_told()
    {
        await using MixedRoom room = await MixedRoom.StartAsync();
        (LineClient tcp, _) = await room.Tcp.JoinAsync();
        (SocketClient web, string name) = await room.JoinWebAsync();
        await web.SendAsync([0x41, 0xC3, 0x28], WebSocketMessageType.Text);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await web.ReceiveCloseAsync());
        Assert.Equal($"* {name} left.", await ReadNoticeAsync(tcp, " left"));
    }

    [Fact]
    public async Task Max_clients_counts_every_kind_of_member()
    {
        await using MixedRoom room = await MixedRoom.StartAsync(new ChatOptions { MaxClients = 2 });
        (LineClient tcp, _) = await room.Tcp.JoinAsync();
        (SocketClient web, _) = await room.JoinWebAsync();
        SocketClient third = await SocketClient.ConnectAsync(room.Page);
        Assert.Equal("The room is full (2 people); try again later.", await third.ReadLineAsync());
        Assert.Equal((WebSocketCloseStatus)1013, await third.ReceiveCloseAsync());
        await using LineClient fourth = await LineClient.ConnectAsync(room.Tcp.Port);
        Assert.Equal("The room is full (2 people); try again later.", await fourth.ReadLineAsync());
    }

    [Fact]
    public async Task An_idle_browser_is_closed_by_the_rooms_clock_alone()
    {
        var clock = new WatchedClock();
        MixedRoom room = await MixedRoom.StartAsync(new ChatOptions { IdleTimeout = TimeSpan.FromSeconds(30) }, clock);
        (LineClient tcp, _) = await room.Tcp.JoinAsync();
        (SocketClient web, string name) = await room.JoinWebAsync();
        await tcp.SendLineAsync("still here");
        await web.ReadLineStartingAsync("<");
        clock.Advance(TimeSpan.FromSeconds(20));
        await tcp.SendLineAsync("still here"); // The TCP member keeps talking; the browser says nothing.
        await web.ReadLineStartingAsync("<");
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("No message for 30 s: connection closed.", await web.ReadLineStartingAsync("No message"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await web.ReceiveCloseAsync());
        // The notice window runs on the same clock.
        Task<string> notice = ReadNoticeAsync(tcp, name + " left");
        await clock.WhileTimePassesAsync(notice);
        Assert.Contains($"{name} left (idle too long)", await notice, StringComparison.Ordinal);

        await web.DisposeAsync();
        await tcp.DisposeAsync();
        await clock.WhileTimePassesAsync(room.DisposeAsync().AsTask());
    }

    [Fact]
    public async Task Quit_from_a_browser_says_goodbye_and_closes_normally()
    {
        await using MixedRoom room = await MixedRoom.StartAsync();
        (SocketClient web, _) = await room.JoinWebAsync();
        await web.SendAsync("/quit");
        Assert.Equal("Goodbye!", await web.ReadLineStartingAsync("Goodbye"));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await web.ReceiveCloseAsync());
    }

    [Fact]
    public async Task At_shutdown_a_browser_gets_the_goodbye_and_1001()
    {
        MixedRoom room = await MixedRoom.StartAsync();
        (SocketClient web, _) = await room.JoinWebAsync();
        Task stopping = room.Tcp.StopAsync();
        Assert.Equal("The server is shutting down. Goodbye!", await web.ReadLineStartingAsync("The server"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await web.ReceiveCloseAsync());
        await stopping;
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Newcomers_whose_join_is_under_way_when_shutdown_begins_get_the_welcome_then_the_goodbye()
    {
        // The window of issue 11's lost goodbye: shutdown lists the members to dismiss while a join is still under
        // way. Held in the roster until shutdown has begun, each newcomer must still be told, whatever its kind.
        var roster = new GatedRoster();
        MixedRoom room = await MixedRoom.StartAsync(roster: roster);
        Task<SocketClient> web = SocketClient.ConnectAsync(room.Page);
        await using LineClient tcp = await LineClient.ConnectAsync(room.Tcp.Port);
        await roster.HoldingAsync(2);
        Task stopping = room.Tcp.StopAsync();
        await room.Tcp.Console.WaitForAsync("Shutting down");
        roster.Open();

        await using SocketClient browser = await web;
        Assert.StartsWith("Welcome", await browser.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal("The server is shutting down. Goodbye!", await browser.ReadLineStartingAsync("The server"));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await browser.ReceiveCloseAsync());
        Assert.StartsWith("Welcome", await tcp.ReadLineAsync(), StringComparison.Ordinal);
        string? last = null;
        while (await tcp.ReadLineAsync() is { } line) last = line;
        Assert.Equal("The server is shutting down. Goodbye!", last);
        await stopping;
        await room.DisposeAsync();
    }

    [Fact]
    public async Task A_browser_that_never_reads_is_cut_off_by_max_queue_and_the_others_lose_nothing()
    {
        await using MixedRoom room = await MixedRoom.StartAsync(new ChatOptions { MaxQueueBytes = 256 * 1024 });
        (LineClient listener, _) = await room.Tcp.JoinAsync();
        // A tiny receive buffer, never read: the kernel, Kestrel's output and then the member's queue fill up.
        (SocketClient stuck, string stuckName) = await room.JoinWebAsync(o => o.SetBuffer(1024, 1024));
        (LineClient talker, string talkerName) = await room.Tcp.JoinAsync();
        string line = new('z', 1000);
        // 30 MB in rounds of 100 lines, each read by the listener before the next: it never lags, the stuck one always does.
        int received = 0;
        string? notice = null;
        for (int round = 0; round < 300; round++)
        {
            await talker.SendAsync(string.Concat(Enumerable.Repeat(line + "\n", 100)));
            for (int got = 0; got < 100;)
            {
                string l = await listener.ReadLineAsync() ?? throw new InvalidOperationException("the listener was closed");
                if (l == $"<{talkerName}> {line}") got++;
                else if (l.Contains(stuckName + " left", StringComparison.Ordinal)) notice = l;
            }

            received += 100;
        }

        Assert.Equal(30_000, received);
        Assert.Equal($"* {stuckName} left (too slow to read, disconnected).", notice);
        await stuck.DisposeAsync();
    }

    private static async Task<string> ReadSaidAsync(LineClient client)
    {
        while (await client.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('<')) return line;
        }

        throw new InvalidOperationException("closed");
    }

    private static async Task<string> ReadNoticeAsync(LineClient client, string containing)
    {
        while (await client.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("* ", StringComparison.Ordinal) && line.Contains(containing, StringComparison.Ordinal)) return line;
        }

        throw new InvalidOperationException("closed");
    }
}
