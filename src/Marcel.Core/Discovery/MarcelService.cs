using System.Globalization;
using System.Text;

namespace Marcel.Core.Discovery;

/// <summary>
/// Marcel's DNS-SD vocabulary: the service types and the TXT keys. <c>txtvers=1</c>; <c>mode=dialogue|chat</c>;
/// <c>tls=1</c> with <c>fp=</c> the certificate's SHA-256 in hex; <c>web=PORT</c> for the browser room's page.
/// </summary>
public static class MarcelService
{
    /// <summary>The service type of Marcel over TCP.</summary>
    public const string TcpType = "_marcel._tcp";

    /// <summary>The service type of Marcel over UDP datagrams.</summary>
    public const string UdpType = "_marcel._udp";

    /// <summary>The mDNS domain.</summary>
    public const string Domain = "local";

    /// <summary>The DNS-SD meta-query name listing every service type on the link (RFC 6763 §9).</summary>
    public const string ServicesName = "_services._dns-sd._udp.local";

    /// <summary>The TXT entries for a server of <paramref name="mode"/>, with its TLS fingerprint and web port if any.</summary>
    public static IReadOnlyList<string> Txt(string mode, string? fingerprint, int? webPort)
    {
        var entries = new List<string> { "txtvers=1", "mode=" + mode };
        if (fingerprint is not null)
        {
            entries.Add("tls=1");
            entries.Add("fp=" + fingerprint.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant());
        }

        if (webPort is { } port)
        {
            entries.Add("web=" + port.ToString(CultureInfo.InvariantCulture));
        }

        return entries;
    }

    /// <summary>
    /// The instance name for a server called <paramref name="name"/> on <paramref name="host"/>: <c>Marcel @ pc12</c>,
    /// cut to the 63 bytes a label holds (on a character boundary).
    /// </summary>
    public static string InstanceName(string name, string host)
    {
        string full = $"{name} @ {host}";
        while (Encoding.UTF8.GetByteCount(full) > DnsNames.MaxLabelLength - 5) // Room for a " (NN)" suffix.
        {
            full = full[..^1];
        }

        return full.TrimEnd();
    }

    /// <summary>The name to try after a conflict (RFC 6762 §9): <c>Marcel @ pc12 (2)</c> for the second attempt, and so on.</summary>
    public static string NumberedName(string instance, int attempt) => $"{instance} ({attempt.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>This machine's name as one DNS label (its first label, never empty).</summary>
    public static string LocalHostLabel()
    {
        string host = Environment.MachineName.Split('.')[0];
        return host.Length == 0 ? "marcel" : host[..Math.Min(host.Length, DnsNames.MaxLabelLength)];
    }

    /// <summary>The full name of an instance: <c>LABEL._marcel._tcp.local</c>.</summary>
    public static string FullName(string instance, string serviceType) => DnsNames.Join([instance]) + "." + serviceType + "." + Domain;

    /// <summary>The browse name of a service type: <c>_marcel._tcp.local</c>.</summary>
    public static string TypeName(string serviceType) => serviceType + "." + Domain;

    /// <summary>The instance label of a full name under <paramref name="serviceType"/>, or null when the name is not one of that type.</summary>
    public static string? InstanceOf(string fullName, string serviceType)
    {
        List<string> labels = DnsNames.Split(fullName);
        List<string> type = DnsNames.Split(TypeName(serviceType));
        if (labels.Count != type.Count + 1)
        {
            return null;
        }

        for (int i = 0; i < type.Count; i++)
        {
            if (!DnsNames.Same(labels[i + 1], type[i]))
            {
                return null;
            }
        }

        return labels[0];
    }
}
