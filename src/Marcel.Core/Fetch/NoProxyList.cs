using System.Net;

namespace Marcel.Core.Fetch;

/// <summary>
/// curl's <c>no_proxy</c> rules (lib/noproxy.c): entries separated by commas or spaces; <c>*</c> alone matches every
/// host; a name matches itself and its subdomains (a leading dot changes nothing); an IP address matches exactly,
/// or by prefix when written as CIDR (<c>10.0.0.0/8</c>). Ports are ignored, case too.
/// </summary>
internal static class NoProxyList
{
    /// <summary>True when <paramref name="host"/> must be reached without a proxy according to <paramref name="list"/>.</summary>
    public static bool Matches(string host, string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return false;
        }

        string name = Normalise(host);
        bool isAddress = IPAddress.TryParse(name, out IPAddress? address);
        foreach (string raw in list.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw == "*")
            {
                return true;
            }

            string entry = Normalise(raw.TrimStart('.'));
            if (entry.Length == 0)
            {
                continue;
            }

            if (isAddress ? MatchesAddress(address!, entry) : MatchesName(name, entry))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalise(string host) => host.Trim().TrimEnd('.').Trim('[', ']');

    private static bool MatchesName(string host, string entry) =>
        host.Equals(entry, StringComparison.OrdinalIgnoreCase)
        || (host.Length > entry.Length
            && host.EndsWith(entry, StringComparison.OrdinalIgnoreCase)
            && host[host.Length - entry.Length - 1] == '.');

    private static bool MatchesAddress(IPAddress address, string entry)
    {
        int slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IPAddress.TryParse(entry, out IPAddress? exact) && exact.Equals(address);
        }

        return IPAddress.TryParse(entry.AsSpan(0, slash), out IPAddress? network)
            && int.TryParse(entry.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture, out int bits)
            && InPrefix(address, network, bits);
    }

    private static bool InPrefix(IPAddress address, IPAddress network, int bits)
    {
        byte[] a = address.GetAddressBytes();
        byte[] n = network.GetAddressBytes();
        if (a.Length != n.Length || bits < 0 || bits > a.Length * 8)
        {
            return false;
        }

        for (int i = 0; i < bits; i++)
        {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (n[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
