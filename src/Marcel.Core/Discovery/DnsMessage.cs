namespace Marcel.Core.Discovery;

/// <summary>A DNS message as mDNS uses it (RFC 1035 §4.1, RFC 6762 §18): a header and four sections.</summary>
public sealed record DnsMessage
{
    /// <summary>The query id: 0 in multicast messages, echoed in answers to legacy unicast queries (RFC 6762 §6.7).</summary>
    public ushort Id { get; init; }

    /// <summary>True for a response (QR bit).</summary>
    public bool IsResponse { get; init; }

    /// <summary>True when the responder owns the records (AA bit; every mDNS response sets it, RFC 6762 §18.4).</summary>
    public bool IsAuthoritative { get; init; }

    /// <summary>The question section.</summary>
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];

    /// <summary>The answer section.</summary>
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];

    /// <summary>The authority section: in a probe, the records the prober proposes (RFC 6762 §8.2).</summary>
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];

    /// <summary>The additional section.</summary>
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];

    /// <summary>Every record of the three record sections.</summary>
    public IEnumerable<DnsRecord> AllRecords => Answers.Concat(Authorities).Concat(Additionals);
}
