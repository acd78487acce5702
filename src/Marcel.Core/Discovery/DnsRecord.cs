using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Core.Discovery;

/// <summary>
/// One resource record. Its data is kept in wire form with any names uncompressed, so two records compare byte for
/// byte as RFC 6762 §8.2 asks; the factories build the types DNS-SD needs and the accessors read them back.
/// </summary>
public sealed class DnsRecord
{
    /// <summary>Creates a record from its parts; <paramref name="data"/> is the record data in wire form, names uncompressed.</summary>
    public DnsRecord(string name, DnsRecordType type, uint ttl, ReadOnlyMemory<byte> data, bool cacheFlush = false)
    {
        Name = name;
        Type = type;
        Ttl = ttl;
        Data = data;
        CacheFlush = cacheFlush;
    }

    /// <summary>The owner name, dotted.</summary>
    public string Name { get; }

    /// <summary>The record type.</summary>
    public DnsRecordType Type { get; }

    /// <summary>Seconds the record may be cached; 0 is a goodbye (RFC 6762 §10.1).</summary>
    public uint Ttl { get; }

    /// <summary>The mDNS cache-flush bit (RFC 6762 §10.2): this record set replaces what caches hold for the name.</summary>
    public bool CacheFlush { get; }

    /// <summary>The record data in wire form (class IN implied).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>A PTR record from <paramref name="name"/> to <paramref name="target"/>.</summary>
    public static DnsRecord ServicePointer(string name, string target, uint ttl) => new(name, DnsRecordType.ServicePointer, ttl, NameData(target));

    /// <summary>An SRV record (RFC 2782) with priority and weight 0.</summary>
    public static DnsRecord Srv(string name, int port, string target, uint ttl)
    {
        var data = new List<byte> { 0, 0, 0, 0, (byte)(port >> 8), (byte)port };
        DnsNames.Write(data, target);
        return new DnsRecord(name, DnsRecordType.Srv, ttl, data.ToArray(), cacheFlush: true);
    }

    /// <summary>A TXT record of <c>key=value</c> entries, each at most 255 bytes; no entry gives the single empty string (RFC 6763 §6.1).</summary>
    public static DnsRecord Txt(string name, IEnumerable<string> entries, uint ttl)
    {
        var data = new List<byte>();
        foreach (string entry in entries)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(entry);
            if (bytes.Length > 255)
            {
                throw new ArgumentException($"TXT entry over 255 bytes: '{entry}'.", nameof(entries));
            }

            data.Add((byte)bytes.Length);
            data.AddRange(bytes);
        }

        if (data.Count == 0)
        {
            data.Add(0);
        }

        return new DnsRecord(name, DnsRecordType.Txt, ttl, data.ToArray(), cacheFlush: true);
    }

    /// <summary>An A or AAAA record for <paramref name="address"/>.</summary>
    public static DnsRecord Address(string name, IPAddress address, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(address);
        DnsRecordType type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A;
        return new DnsRecord(name, type, ttl, address.GetAddressBytes(), cacheFlush: true);
    }

    /// <summary>The same record with another TTL (0 for a goodbye).</summary>
    public DnsRecord WithTtl(uint ttl) => new(Name, Type, ttl, Data, CacheFlush);

    /// <summary>The target of a PTR record; null for another type or a malformed one.</summary>
    public string? PtrTarget() => Type == DnsRecordType.ServicePointer && ReadName(Data.Span, 0) is { } target ? target : null;

    /// <summary>The port and target host of an SRV record; null for another type or a malformed one.</summary>
    public (int Port, string Target)? Srv()
    {
        ReadOnlySpan<byte> data = Data.Span;
        if (Type != DnsRecordType.Srv || data.Length < 7 || ReadName(data, 6) is not { } target)
        {
            return null;
        }

        return (BinaryPrimitives.ReadUInt16BigEndian(data[4..]), target);
    }

    /// <summary>The entries of a TXT record (invalid UTF-8 replaced); empty for another type.</summary>
    public IReadOnlyList<string> TxtEntries()
    {
        var entries = new List<string>();
        ReadOnlySpan<byte> data = Data.Span;
        for (int i = 0; Type == DnsRecordType.Txt && i < data.Length && i + 1 + data[i] <= data.Length; i += 1 + data[i])
        {
            if (data[i] > 0)
            {
                entries.Add(Encoding.UTF8.GetString(data.Slice(i + 1, data[i])));
            }
        }

        return entries;
    }

    /// <summary>The address of an A or AAAA record; null for another type or a wrong length.</summary>
    public IPAddress? AddressValue() => (Type, Data.Length) switch
    {
        (DnsRecordType.A, 4) or (DnsRecordType.Aaaa, 16) => new IPAddress(Data.Span),
        _ => null,
    };

    /// <summary>True when both records have the same name, type and data (TTL and cache-flush aside): not a conflict (RFC 6762 §9).</summary>
    public bool SameAs(DnsRecord other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Type == Type && DnsNames.Same(other.Name, Name) && other.Data.Span.SequenceEqual(Data.Span);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {Type} ttl={Ttl}";

    private static byte[] NameData(string name)
    {
        var data = new List<byte>();
        DnsNames.Write(data, name);
        return data.ToArray();
    }

    // Record data holds names uncompressed: a pointer there would point outside it and is refused.
    private static string? ReadName(ReadOnlySpan<byte> data, int offset) =>
        DnsNames.TryRead(data, ref offset, out string name) && offset == data.Length ? name : null;
}
