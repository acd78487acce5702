using System.Net.WebSockets;

namespace Marcel.Web.Tests;

/// <summary>How a browser's messages are read: whole, bounded, text only.</summary>
public sealed class WebSocketMessageReaderTests
{
    [Fact]
    public async Task A_frame_with_newlines_is_several_lines_in_order()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using SocketClient client = await room.ConnectAsync();
        await client.SendAsync("one\ntwo\r\nthree");
        Assert.Equal("echo: one", await client.ReceiveAsync());
        Assert.Equal("echo: two", await client.ReceiveAsync());
        Assert.Equal("echo: three", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_message_at_the_limit_passes_and_one_byte_more_is_too_big()
    {
        await using EchoRoom room = await EchoRoom.StartAsync(new WebRoomOptions { MaxMessageBytes = 10_000 });
        await using SocketClient client = await room.ConnectAsync();
        await client.SendAsync(new string('a', 10_000));
        Assert.Equal("echo: " + new string('a', 10_000), await client.ReceiveAsync());
        await client.SendAsync(new string('b', 10_001));
        Assert.Equal(WebSocketRead.TooBig, room.Ends.Take(Timeouts.StepToken()));
    }

    [Fact]
    public async Task A_binary_message_is_not_text()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using SocketClient client = await room.ConnectAsync();
        await client.SendAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal(WebSocketRead.Binary, room.Ends.Take(Timeouts.StepToken()));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_text_message_is_refused_by_the_websocket_layer_with_1007()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using SocketClient client = await room.ConnectAsync();
        await client.SendAsync([0x41, 0xC3, 0x28, 0x42], WebSocketMessageType.Text);
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReceiveCloseAsync());
        Assert.Equal(WebSocketRead.Closed, room.Ends.Take(Timeouts.StepToken()));
    }

    [Fact]
    public async Task An_empty_message_holds_no_line_and_reading_goes_on()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using SocketClient client = await room.ConnectAsync();
        await client.SendAsync(string.Empty);
        await client.SendAsync("after");
        Assert.Equal("echo: after", await client.ReceiveAsync());
    }

    [Fact]
    public async Task A_peer_that_closes_is_seen_as_closed()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using SocketClient client = await room.ConnectAsync();
        await client.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Timeouts.StepToken());
        Assert.Equal(WebSocketRead.Closed, room.Ends.Take(Timeouts.StepToken()));
    }
}
