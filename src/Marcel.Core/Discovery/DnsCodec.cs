using System.Buffers.Binary;

namespace Marcel.Core.Discovery;

/// <summary>
/// DNS messages to and from bytes (RFC 1035 §4.1 with the mDNS bits of RFC 6762 §18): pure, no sockets. Reading
/// never throws on hostile bytes; it answers false. Writing does not compress names (RFC 6762 §18.14 says SHOULD):
/// Marcel's messages are a few hundred bytes, far below the 1,440-byte mDNS budget.
/// </summary>
public static class DnsCodec
{
    /// <summary>Largest mDNS message (RFC 6762 §17: 9,000 bytes including the IP and UDP headers).</summary>
    public const int MaxMessageBytes = 9000;

    private const ushort ClassInternet = 1;
    private const ushort TopBit = 0x8000;
    private const ushort ResponseFlag = 0x8000;
    private const ushort AuthoritativeFlag = 0x0400;
    private const int HeaderBytes = 12;

    /// <summary>
    /// Reads a message. False for a truncated or malformed one, one over <see cref="MaxMessageBytes"/>, and one that
    /// mDNS says to ignore: a non-zero opcode or response code (RFC 6762 §18.3, §18.11). Records of classes other
    /// than IN are skipped.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out DnsMessage message)
    {
        message = new DnsMessage();
        if (packet.Length is < HeaderBytes or > MaxMessageBytes)
        {
            return false;
        }

        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if ((flags & 0x7800) != 0 || (flags & 0x000F) != 0)
        {
            return false;
        }

        Span<int> counts = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            counts[i] = BinaryPrimitives.ReadUInt16BigEndian(packet[(4 + (2 * i))..]);
        }

        // A question takes at least 5 bytes and a record at least 11: more than fits is malformed, refused before any allocation.
        if ((counts[0] * 5) + ((counts[1] + counts[2] + counts[3]) * 11) > packet.Length - HeaderBytes)
        {
            return false;
        }

        int offset = HeaderBytes;
        var questions = new List<DnsQuestion>(counts[0]);
        for (int i = 0; i < counts[0]; i++)
        {
            if (!DnsNames.TryRead(packet, ref offset, out string name) || offset + 4 > packet.Length)
            {
                return false;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            ushort @class = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            offset += 4;
            if ((@class & ~TopBit) is ClassInternet or 255)
            {
                questions.Add(new DnsQuestion(name, (DnsRecordType)type, (@class & TopBit) != 0));
            }
        }

        var sections = new List<DnsRecord>[3];
        for (int s = 0; s < 3; s++)
        {
            sections[s] = new List<DnsRecord>(counts[s + 1]);
            for (int i = 0; i < counts[s + 1]; i++)
            {
                if (!TryReadRecord(packet, ref offset, out DnsRecord? record))
                {
                    return false;
                }

                if (record is not null)
                {
                    sections[s].Add(record);
                }
            }
        }

        message = new DnsMessage
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(packet),
            IsResponse = (flags & ResponseFlag) != 0,
            IsAuthoritative = (flags & AuthoritativeFlag) != 0,
            Questions = questions,
            Answers = sections[0],
            Authorities = sections[1],
            Additionals = sections[2],
        };
        return true;
    }

    /// <summary>Writes <paramref name="message"/> in wire form; throws when it exceeds <see cref="MaxMessageBytes"/>.</summary>
    public static byte[] Write(DnsMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var output = new List<byte>(512);
        ushort flags = (ushort)((message.IsResponse ? ResponseFlag : 0) | (message.IsAuthoritative ? AuthoritativeFlag : 0));
        WriteUInt16(output, message.Id);
        WriteUInt16(output, flags);
        WriteUInt16(output, checked((ushort)message.Questions.Count));
        WriteUInt16(output, checked((ushort)message.Answers.Count));
        WriteUInt16(output, checked((ushort)message.Authorities.Count));
        WriteUInt16(output, checked((ushort)message.Additionals.Count));
        foreach (DnsQuestion question in message.Questions)
        {
            DnsNames.Write(output, question.Name);
            WriteUInt16(output, (ushort)question.Type);
            WriteUInt16(output, (ushort)(ClassInternet | (question.UnicastResponse ? TopBit : 0)));
        }

        foreach (DnsRecord record in message.AllRecords)
        {
            DnsNames.Write(output, record.Name);
            WriteUInt16(output, (ushort)record.Type);
            WriteUInt16(output, (ushort)(ClassInternet | (record.CacheFlush ? TopBit : 0)));
            WriteUInt16(output, (ushort)(record.Ttl >> 16));
            WriteUInt16(output, (ushort)record.Ttl);
            WriteUInt16(output, checked((ushort)record.Data.Length));
            output.AddRange(record.Data.Span);
        }

        if (output.Count > MaxMessageBytes)
        {
            throw new InvalidOperationException($"DNS message of {output.Count} bytes, over {MaxMessageBytes}.");
        }

        return output.ToArray();
    }

    // A record; null (with true) for one of another class, read over. Names inside PTR and SRV data are decompressed.
    private static bool TryReadRecord(ReadOnlySpan<byte> packet, ref int offset, out DnsRecord? record)
    {
        record = null;
        if (!DnsNames.TryRead(packet, ref offset, out string name) || offset + 10 > packet.Length)
        {
            return false;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(offset + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
        int start = offset + 10;
        if (start + length > packet.Length)
        {
            return false;
        }

        offset = start + length;
        if ((@class & ~TopBit) != ClassInternet)
        {
            return true;
        }

        ReadOnlySpan<byte> raw = packet.Slice(start, length);
        byte[] data;
        if (type is DnsRecordType.ServicePointer or DnsRecordType.Srv)
        {
            int prefix = type == DnsRecordType.Srv ? 6 : 0;
            int at = start + prefix;
            if (length < prefix + 1 || !DnsNames.TryRead(packet[..offset], ref at, out string target) || at != offset)
            {
                return false;
            }

            var rebuilt = new List<byte>(length + 16);
            rebuilt.AddRange(raw[..prefix]);
            DnsNames.Write(rebuilt, target);
            data = rebuilt.ToArray();
        }
        else
        {
            data = raw.ToArray();
        }

        record = new DnsRecord(name, type, ttl, data, (@class & TopBit) != 0);
        return true;
    }

    private static void WriteUInt16(List<byte> output, ushort value)
    {
        output.Add((byte)(value >> 8));
        output.Add((byte)value);
    }
}
