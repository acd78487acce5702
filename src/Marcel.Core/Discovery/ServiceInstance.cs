using System.Globalization;
using System.Net;

namespace Marcel.Core.Discovery;

/// <summary>A Marcel server found by browsing: what its SRV, TXT and address records said.</summary>
public sealed record ServiceInstance
{
    /// <summary>The instance name, e.g. <c>Marcel @ pc12</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The service type, <c>_marcel._tcp</c> or <c>_marcel._udp</c>.</summary>
    public required string ServiceType { get; init; }

    /// <summary>The SRV target, e.g. <c>pc12.local</c>.</summary>
    public required string HostName { get; init; }

    /// <summary>The port.</summary>
    public required int Port { get; init; }

    /// <summary>The addresses announced for the host (IPv4 first).</summary>
    public required IReadOnlyList<IPAddress> Addresses { get; init; }

    /// <summary>The TXT entries as announced.</summary>
    public IReadOnlyList<string> Txt { get; init; } = [];

    /// <summary><c>dialogue</c>, <c>chat</c>, or null when not announced.</summary>
    public string? Mode => Value("mode");

    /// <summary>True when the server announced TLS.</summary>
    public bool Tls => Value("tls") == "1";

    /// <summary>The announced SHA-256 of the server's certificate as colon-separated hex, or null. Not authenticated: mDNS answers can be forged.</summary>
    public string? Fingerprint => Value("fp") is { Length: 64 } hex && hex.All(char.IsAsciiHexDigit)
        ? string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()))
        : null;

    /// <summary>The browser room's port, or null.</summary>
    public int? WebPort => int.TryParse(Value("web"), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536 ? port : null;

    /// <summary>The value of <paramref name="key"/> in the TXT entries (keys compare case-insensitively, RFC 6763 §6.4), or null.</summary>
    public string? Value(string key)
    {
        foreach (string entry in Txt)
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? entry : entry[..equals];
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? string.Empty : entry[(equals + 1)..];
            }
        }

        return null;
    }
}
