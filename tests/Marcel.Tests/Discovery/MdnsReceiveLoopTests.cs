using System.Net;
using Marcel.Core.Discovery;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Discovery;

/// <summary>What the shared receive loop does with one datagram: what it drops, and that a handler's failure stays with its packet.</summary>
public class MdnsReceiveLoopTests
{
    private static readonly MdnsInterface Link = new(2, "eth0", IPAddress.Parse("10.0.0.1"), IPNetwork.Parse("10.0.0.0/24"));
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("10.0.0.9"), MdnsSocket.Port);

    [Fact]
    public async Task A_packet_whose_handling_throws_is_dropped_and_the_next_one_is_handled()
    {
        var handled = new List<DnsMessage>();
        int calls = 0;
        Task Handle(DnsMessage message, IPEndPoint from, MdnsInterface via)
        {
            if (calls++ == 0)
            {
                throw new InvalidOperationException("DNS message of 33624 bytes, over 9000.");
            }

            handled.Add(message);
            return Task.CompletedTask;
        }

        Assert.False(await HandleAsync(Response(), Peer, Handle));
        Assert.True(await HandleAsync(Response(), Peer, Handle));
        Assert.Single(handled);
    }

    [Fact]
    public async Task A_response_not_from_port_5353_never_reaches_the_handler_but_a_query_from_any_port_does()
    {
        var handled = new List<DnsMessage>();
        Task Handle(DnsMessage message, IPEndPoint from, MdnsInterface via)
        {
            handled.Add(message);
            return Task.CompletedTask;
        }

        var legacy = new IPEndPoint(Peer.Address, 5354);
        Assert.False(await HandleAsync(Response(), legacy, Handle));
        Assert.Empty(handled);
        byte[] query = DnsCodec.Write(new DnsMessage { Questions = [new DnsQuestion(MarcelService.TypeName(MarcelService.TcpType), DnsRecordType.ServicePointer, false)] });
        Assert.True(await HandleAsync(query, legacy, Handle));
        Assert.Single(handled);
    }

    [Fact]
    public async Task A_malformed_packet_never_reaches_the_handler()
    {
        bool called = false;
        Assert.False(await HandleAsync(new byte[] { 0, 0, 0x84 }, Peer, (_, _, _) =>
        {
            called = true;
            return Task.CompletedTask;
        }));
        Assert.False(called);
    }

    private static Task<bool> HandleAsync(byte[] packet, IPEndPoint from, Func<DnsMessage, IPEndPoint, MdnsInterface, Task> handle) =>
        MdnsReceiveLoop.HandleAsync(packet, from, Link, handle, NullLogger.Instance, CancellationToken.None);

    private static byte[] Response() => DnsCodec.Write(new DnsMessage
    {
        IsResponse = true,
        IsAuthoritative = true,
        Answers = [DnsRecord.ServicePointer(MarcelService.TypeName(MarcelService.TcpType), MarcelService.FullName("Marcel @ pc", MarcelService.TcpType), 120)],
    });
}
