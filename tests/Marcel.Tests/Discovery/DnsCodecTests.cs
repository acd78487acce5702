using System.Net;
using System.Text;
using Marcel.Core.Discovery;

namespace Marcel.Tests.Discovery;

/// <summary>The DNS message codec, byte by byte (RFC 1035 §4.1, RFC 6762 §18).</summary>
public class DnsCodecTests
{
    // A PTR query for _marcel._tcp.local, as any querier sends it: header, then the name's labels, type 12, class 1.
    private static readonly byte[] BrowseQuery =
    [
        0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
        7, .. "_marcel"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0, 0, 12, 0, 1,
    ];

    // A response whose PTR target ends in a compression pointer back to offset 12 (the owner name).
    private static readonly byte[] CompressedAnswer =
    [
        0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
        7, .. "_marcel"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0, // offset 12: _marcel._tcp.local
        0, 12, 0, 1, 0, 0, 0, 120, 0, 9,
        6, .. "Marcel"u8, 0xC0, 12,
    ];

    [Fact]
    public void A_browse_query_is_written_exactly_as_the_RFC_lays_it_out()
    {
        var message = new DnsMessage { Questions = [new DnsQuestion("_marcel._tcp.local", DnsRecordType.ServicePointer)] };
        Assert.Equal(BrowseQuery, DnsCodec.Write(message));
    }

    [Fact]
    public void A_name_whose_label_is_not_utf8_is_malformed_rather_than_a_name_that_cannot_be_written_back()
    {
        // A PTR answer whose target is one 60-byte label of 0xFF: each byte would decode to U+FFFD (3 bytes in UTF-8),
        // and rebuilding the record data threw from TryRead (found by fuzz/run.sh dns).
        byte[] target = [60, .. Enumerable.Repeat((byte)0xFF, 60), 0];
        byte[] packet =
        [
            0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0,
            7, .. "_marcel"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0,
            0, 12, 0, 1, 0, 0, 0, 120, 0, (byte)target.Length, .. target,
        ];
        Assert.False(DnsCodec.TryRead(packet, out _));
        Assert.Null(DnsInvariants.Check(packet));
    }

    [Fact]
    public void The_QU_bit_is_the_top_bit_of_the_question_class()
    {
        byte[] bytes = DnsCodec.Write(new DnsMessage { Questions = [new DnsQuestion("a.local", DnsRecordType.Any, UnicastResponse: true)] });
        Assert.Equal([0, 255, 0x80, 1], bytes[^4..]);
        Assert.True(DnsCodec.TryRead(bytes, out DnsMessage read));
        Assert.True(read.Questions[0].UnicastResponse);
    }

    [Fact]
    public void A_compressed_name_in_record_data_is_read_whole_and_kept_uncompressed()
    {
        Assert.True(DnsCodec.TryRead(CompressedAnswer, out DnsMessage message));
        DnsRecord ptr = Assert.Single(message.Answers);
        Assert.True(message.IsResponse);
        Assert.True(message.IsAuthoritative);
        Assert.Equal("_marcel._tcp.local", ptr.Name);
        Assert.Equal(120u, ptr.Ttl);
        Assert.Equal("Marcel._marcel._tcp.local", ptr.PtrTarget());
        Assert.Equal([6, .. "Marcel"u8, 7, .. "_marcel"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0], ptr.Data.ToArray());
    }

    [Fact]
    public void Records_survive_a_round_trip_with_their_cache_flush_bit_and_data()
    {
        var message = new DnsMessage
        {
            IsResponse = true,
            IsAuthoritative = true,
            Answers =
            [
                DnsRecord.ServicePointer("_marcel._tcp.local", "Marcel @ pc (2)._marcel._tcp.local", 120),
                DnsRecord.Srv("Marcel @ pc (2)._marcel._tcp.local", 50000, "pc.local", 120),
                DnsRecord.Txt("Marcel @ pc (2)._marcel._tcp.local", ["mode=chat", "tls=1", "é=ü"], 120),
                DnsRecord.Address("pc.local", IPAddress.Parse("10.0.0.7"), 120),
                DnsRecord.Address("pc.local", IPAddress.Parse("fe80::1"), 120),
            ],
        };
        Assert.True(DnsCodec.TryRead(DnsCodec.Write(message), out DnsMessage read));
        Assert.Equal(5, read.Answers.Count);
        Assert.All(message.Answers.Zip(read.Answers), pair => Assert.True(pair.First.SameAs(pair.Second)));
        Assert.False(read.Answers[0].CacheFlush);
        Assert.True(read.Answers[1].CacheFlush);
        Assert.Equal((50000, "pc.local"), read.Answers[1].Srv());
        Assert.Equal(["mode=chat", "tls=1", "é=ü"], read.Answers[2].TxtEntries());
        Assert.Equal(IPAddress.Parse("10.0.0.7"), read.Answers[3].AddressValue());
        Assert.Equal(DnsRecordType.Aaaa, read.Answers[4].Type);
    }

    [Fact]
    public void A_dot_inside_an_instance_label_is_escaped_not_taken_for_a_separator()
    {
        string full = MarcelService.FullName("v1.2 room", MarcelService.TcpType);
        Assert.Equal("v1\\.2 room._marcel._tcp.local", full);
        byte[] bytes = DnsCodec.Write(new DnsMessage { Questions = [new DnsQuestion(full, DnsRecordType.Srv)] });
        Assert.Equal([9, .. "v1.2 room"u8, 7], bytes[12..23]);
        Assert.Equal("v1.2 room", MarcelService.InstanceOf(full, MarcelService.TcpType));
    }

    [Fact]
    public void An_empty_TXT_record_holds_one_empty_string()
    {
        Assert.Equal([0], DnsRecord.Txt("a.local", [], 1).Data.ToArray());
        Assert.Empty(DnsRecord.Txt("a.local", [], 1).TxtEntries());
    }

    [Fact]
    public void Every_truncation_of_a_message_is_refused_without_an_exception()
    {
        for (int length = 0; length < CompressedAnswer.Length; length++)
        {
            Assert.False(DnsCodec.TryRead(CompressedAnswer.AsSpan(0, length), out _), $"accepted {length} bytes");
        }
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 12 })] // Points at itself: a loop.
    [InlineData(new byte[] { 0xC0, 40 })] // Points forward.
    [InlineData(new byte[] { 1, (byte)'a', 0xC0, 12 })] // Points back at its own start: a loop through a label.
    [InlineData(new byte[] { 0x40, 0 })] // Reserved label type (RFC 6891 §5).
    [InlineData(new byte[] { 0x80, 0 })]
    [InlineData(new byte[] { 5, (byte)'a', 0 })] // Label runs past the end.
    public void A_malformed_question_name_is_refused(byte[] name)
    {
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. name, 0, 12, 0, 1];
        Assert.False(DnsCodec.TryRead(packet, out _));
    }

    [Fact]
    public void A_name_over_255_bytes_is_refused_on_reading_and_on_writing()
    {
        byte[] label = [63, .. Enumerable.Repeat((byte)'a', 63)];
        byte[] packet = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. label, .. label, .. label, .. label, 0, 0, 1, 0, 1];
        Assert.False(DnsCodec.TryRead(packet, out _));
        string name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        Assert.Throws<ArgumentException>(() => DnsCodec.Write(new DnsMessage { Questions = [new DnsQuestion(name, DnsRecordType.A)] }));
        Assert.Throws<ArgumentException>(() => DnsCodec.Write(new DnsMessage { Questions = [new DnsQuestion(new string('b', 64) + ".local", DnsRecordType.A)] }));
    }

    [Fact]
    public void Counts_larger_than_the_packet_can_hold_are_refused_before_reading()
    {
        byte[] packet = [0, 0, 0x84, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0];
        Assert.False(DnsCodec.TryRead(packet, out _));
    }

    [Theory]
    [InlineData(0x08, 0x00)] // Opcode 1 (inverse query): ignored by mDNS (§18.3).
    [InlineData(0x84, 0x03)] // Response code NXDOMAIN: ignored (§18.11).
    public void Messages_mDNS_must_ignore_are_refused(byte flagsHigh, byte flagsLow)
    {
        byte[] packet = [.. BrowseQuery];
        packet[2] = flagsHigh;
        packet[3] = flagsLow;
        Assert.False(DnsCodec.TryRead(packet, out _));
    }

    [Fact]
    public void A_record_of_another_class_is_read_over_and_left_out()
    {
        byte[] packet = [.. CompressedAnswer];
        packet[35] = 3; // Class CHAOS.
        Assert.True(DnsCodec.TryRead(packet, out DnsMessage message));
        Assert.Empty(message.Answers);
    }

    [Fact]
    public void A_PTR_whose_data_length_disagrees_with_its_name_is_refused()
    {
        byte[] packet = [.. CompressedAnswer];
        packet[41] = 8; // rdlength one short of the name it holds.
        Assert.False(DnsCodec.TryRead(packet.AsSpan(0, packet.Length - 1), out _));
    }

    [Fact]
    public void Accessors_of_the_wrong_type_or_bad_data_answer_nothing()
    {
        var bad = new DnsRecord("x.local", DnsRecordType.Srv, 1, new byte[] { 0, 0, 0, 0, 0 });
        Assert.Null(bad.Srv());
        Assert.Null(bad.PtrTarget());
        Assert.Null(new DnsRecord("x.local", DnsRecordType.A, 1, new byte[] { 1, 2, 3 }).AddressValue());
        Assert.Equal(["ok"], new DnsRecord("x.local", DnsRecordType.Txt, 1, Encoding.ASCII.GetBytes("\u0002ok\u0009cut")).TxtEntries());
    }
}
