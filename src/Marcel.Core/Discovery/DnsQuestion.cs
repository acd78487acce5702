namespace Marcel.Core.Discovery;

/// <summary>One question of a DNS message.</summary>
/// <param name="Name">The name asked about, dotted (a dot or backslash inside a label is escaped with a backslash).</param>
/// <param name="Type">The record type asked for.</param>
/// <param name="UnicastResponse">The mDNS "QU" bit (RFC 6762 §5.4): the asker prefers a unicast answer.</param>
public sealed record DnsQuestion(string Name, DnsRecordType Type, bool UnicastResponse = false);
