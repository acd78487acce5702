using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Marcel.Core.Discovery;

/// <summary>A network interface mDNS runs on: up, multicast-capable, not loopback, with an IPv4 address.</summary>
/// <param name="Index">The interface index (for IP_MULTICAST_IF and the group membership).</param>
/// <param name="Name">The interface name (<c>eth0</c>).</param>
/// <param name="Address">Its IPv4 address, announced in A records.</param>
/// <param name="Network">Its IPv4 network: mDNS packets from elsewhere are not from this link (RFC 6762 §11).</param>
public sealed record MdnsInterface(int Index, string Name, IPAddress Address, IPNetwork Network)
{
    /// <summary>
    /// The interfaces that serve <paramref name="listening"/>: all of them for a wildcard address, else those holding
    /// one of the addresses. Loopback never counts: nothing outside this machine could reach it.
    /// </summary>
    public static IReadOnlyList<MdnsInterface> For(IEnumerable<IPEndPoint> listening)
    {
        ArgumentNullException.ThrowIfNull(listening);
        IPAddress[] addresses = listening.Select(e => e.Address).ToArray();
        bool any = addresses.Any(a => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any));
        return All().Where(i => any || addresses.Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(i.Address))).ToList();
    }

    /// <summary>Every interface mDNS can use on this machine, one entry per IPv4 address.</summary>
    public static IReadOnlyList<MdnsInterface> All()
    {
        var found = new List<MdnsInterface>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            // A veth end reports Unknown rather than Up on Linux even when it carries traffic.
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback || !nic.SupportsMulticast
                || nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown))
            {
                continue;
            }

            IPInterfaceProperties properties = nic.GetIPProperties();
            int index = properties.GetIPv4Properties()?.Index ?? -1;
            foreach (UnicastIPAddressInformation unicast in properties.UnicastAddresses)
            {
                if (index >= 0 && unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    found.Add(new MdnsInterface(index, nic.Name, unicast.Address, NetworkOf(unicast.Address, unicast.PrefixLength)));
                }
            }
        }

        return found;
    }

    private static IPNetwork NetworkOf(IPAddress address, int prefix)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
