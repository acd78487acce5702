using System.Net;
using System.Text;
using Marcel.Core.Dialogue;
using Marcel.Core.Framing;
using Marcel.Core.Transport;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Datagrams;

/// <summary>Who becomes the UDP dialogue's conversation, whatever the server is doing when the datagram comes.</summary>
public sealed class DatagramConversationsTests
{
    [Fact]
    public async Task A_datagram_that_comes_before_the_server_asks_for_a_client_starts_the_conversation_and_is_not_told_busy()
    {
        var console = new DialogueRecorder();
        await using DatagramConversations conversations = await DatagramConversations.BindAsync(
            "127.0.0.1", 0, new DatagramOptions(), LineEnding.Lf, idleTimeout: null, console, NullLogger.Instance, cancellationToken: TestContext.Current.CancellationToken);
        int port = conversations.BoundEndPoints[0].Port;
        using var early = UdpPeer.To(port);
        using var stranger = UdpPeer.To(port);

        // The server has not asked for a client yet (it prints "listening" before it does: seen in CI as a "busy" to
        // the first client of a server just started). The stranger's busy answer, datagrams being handled in order,
        // says the early one was handled before.
        await early.SendAsync("early\n");
        await stranger.SendAsync("me too\n");
        Assert.Equal("Busy: another conversation is on. Try again later.\n", await stranger.ReceiveTextAsync());

        IConversationPeer peer = await conversations.NextAsync(TestContext.Current.CancellationToken);
        Assert.Equal(early.Local, peer.RemoteEndPoint);
        LineReadResult first = await peer.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal("early", first.Text);
        Assert.True(await peer.SendAsync("welcome", TestContext.Current.CancellationToken));
        Assert.Equal("welcome\n", Encoding.UTF8.GetString(await early.ReceiveAsync())); // Its first answer: no "busy" before it.
    }
}
