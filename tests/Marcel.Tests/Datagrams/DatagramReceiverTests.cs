using System.Net;
using System.Text;
using System.Threading.Channels;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary>The one receive loop of the UDP dialogue and the UDP room, on real sockets on loopback.</summary>
public sealed class DatagramReceiverTests
{
    [Fact]
    public async Task Senders_that_alternate_are_told_apart_and_each_keeps_one_endpoint()
    {
        (DatagramSocket socket, DatagramReceiver started, Recorder handler) = Start(IPAddress.Loopback);
        await using DatagramReceiver receiver = started;
        using UdpPeer a = UdpPeer.To(socket.LocalEndPoint), b = UdpPeer.To(socket.LocalEndPoint);

        var heard = new List<(IPEndPoint From, string Text)>();
        for (int i = 0; i < 3; i++)
        {
            await a.SendAsync("a" + i);
            heard.Add(await handler.NextAsync());
            await b.SendAsync("b" + i);
            heard.Add(await handler.NextAsync());
        }

        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], heard.Select(h => h.Text));
        Assert.All(heard.Where(h => h.Text[0] == 'a'), h => Assert.Equal(a.Local, h.From));
        Assert.All(heard.Where(h => h.Text[0] == 'b'), h => Assert.Equal(b.Local, h.From));
        Assert.Same(heard[0].From, heard[2].From); // Made once per sender, not per datagram.
    }

    [Fact]
    public async Task Datagrams_reach_the_handler_in_arrival_order_and_disposing_ends_the_loop()
    {
        (DatagramSocket socket, DatagramReceiver receiver, Recorder handler) = Start(IPAddress.Loopback);
        using UdpPeer peer = UdpPeer.To(socket.LocalEndPoint);
        for (int i = 0; i < 50; i++)
        {
            await peer.SendAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (await handler.NextAsync()).Text);
        }

        await receiver.DisposeAsync().AsTask().WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.True(receiver.Stopping.IsCancellationRequested);
        Assert.Empty(handler.Failures); // Closing under the receive is a stop, not a failure.
    }

    [Fact]
    public async Task An_IPv4_peer_of_a_dual_stack_socket_is_seen_as_IPv4_and_answered_there()
    {
        (DatagramSocket socket, DatagramReceiver started, Recorder handler) = Start(IPAddress.IPv6Any);
        await using DatagramReceiver receiver = started;
        using UdpPeer peer = UdpPeer.To(new IPEndPoint(IPAddress.Loopback, socket.LocalEndPoint.Port));

        await peer.SendAsync("hello");
        (IPEndPoint from, string text) = await handler.NextAsync();
        Assert.Equal("hello", text);
        Assert.Equal(peer.Local, from);

        var sender = new DatagramSender(socket, from);
        sender.Received(5);
        Assert.True(sender.TrySend("hi\n"u8.ToArray()));
        Assert.Equal("hi\n", await peer.ReceiveTextAsync());
    }

    /// <summary>A server socket on <paramref name="address"/>, port 0, and its receiver, started.</summary>
    private static (DatagramSocket Socket, DatagramReceiver Receiver, Recorder Handler) Start(IPAddress address)
    {
        var handler = new Recorder();
        DatagramSocket socket = DatagramSocket.Bind(new IPEndPoint(address, 0), new DatagramOptions());
        var receiver = new DatagramReceiver([socket], handler);
        receiver.Start();
        return (socket, receiver, handler);
    }

    private sealed class Recorder : IDatagramHandler
    {
        private readonly Channel<(IPEndPoint, string)> _heard = Channel.CreateUnbounded<(IPEndPoint, string)>();

        public List<Exception> Failures { get; } = [];

        public ValueTask ReceivedAsync(DatagramSocket socket, Datagram datagram, CancellationToken stopping)
        {
            // The payload is only valid until the next receive: copied here, as a handler must.
            _heard.Writer.TryWrite((datagram.Remote, Encoding.UTF8.GetString(datagram.Payload.Span)));
            return ValueTask.CompletedTask;
        }

        public void Unanswerable(Datagram datagram)
        {
        }

        public void ReceiveFailed(IPEndPoint local, Exception failure) => Failures.Add(failure);

        public async Task<(IPEndPoint From, string Text)> NextAsync() => await _heard.Reader.ReadAsync(Timeouts.StepToken());
    }
}
