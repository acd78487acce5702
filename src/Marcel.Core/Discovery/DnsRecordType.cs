namespace Marcel.Core.Discovery;

/// <summary>The DNS record types DNS-SD uses (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 4034); others pass through by number.</summary>
public enum DnsRecordType : ushort
{
    /// <summary>An IPv4 address.</summary>
    A = 1,

    /// <summary>PTR, a pointer: a service type to one of its instances (RFC 6763 §4.1).</summary>
    ServicePointer = 12,

    /// <summary>Text: the instance's key=value pairs (RFC 6763 §6).</summary>
    Txt = 16,

    /// <summary>An IPv6 address.</summary>
    Aaaa = 28,

    /// <summary>Service location: host and port (RFC 2782).</summary>
    Srv = 33,

    /// <summary>Which types a name has (RFC 6762 §6.1 negative answers).</summary>
    Nsec = 47,

    /// <summary>In a question: every type (RFC 6762 §8.1 probes ask this).</summary>
    Any = 255,
}
