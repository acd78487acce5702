using System.Net;
using Marcel.Core.Transport;

namespace Marcel.Tests.Datagrams;

/// <summary>Which senders a datagram server never answers: forged or broken sources that would reflect traffic at many.</summary>
public class DatagramTests
{
    [Theory]
    [InlineData("127.0.0.1", 0)]
    [InlineData("0.0.0.0", 5000)]
    [InlineData("::", 5000)]
    [InlineData("255.255.255.255", 5000)]
    [InlineData("224.0.0.251", 5353)]
    [InlineData("239.1.2.3", 5000)]
    [InlineData("ff02::1", 5000)]
    public void A_datagram_from_port_0_or_an_unspecified_broadcast_or_multicast_source_is_from_nowhere(string address, int port) =>
        Assert.True(new Datagram(new IPEndPoint(IPAddress.Parse(address), port), ReadOnlyMemory<byte>.Empty, false, false).FromNowhere);

    [Theory]
    [InlineData("127.0.0.1", 40000)]
    [InlineData("192.168.1.20", 5000)]
    [InlineData("::1", 5000)]
    [InlineData("223.255.255.255", 5000)]
    public void A_datagram_from_an_ordinary_address_and_port_may_be_answered(string address, int port) =>
        Assert.False(new Datagram(new IPEndPoint(IPAddress.Parse(address), port), ReadOnlyMemory<byte>.Empty, false, false).FromNowhere);
}
