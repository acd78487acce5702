using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Marcel.Core.Discovery;

namespace Marcel.Tests.Discovery;

/// <summary>Whatever bytes arrive on port 5353, the codec answers without throwing, and what it reads it can write back.</summary>
public class DnsCodecPropertyTests
{
    private static readonly byte[] Valid = DnsCodec.Write(new DnsMessage
    {
        IsResponse = true,
        Answers =
        [
            DnsRecord.ServicePointer("_marcel._tcp.local", "M._marcel._tcp.local", 120),
            DnsRecord.Srv("M._marcel._tcp.local", 1, "h.local", 120),
            DnsRecord.Txt("M._marcel._tcp.local", ["mode=chat"], 120),
        ],
    });

    // Valid messages with a few bytes changed reach deep into the reader; pure noise tests the header checks.
    private static readonly Arbitrary<byte[]> Packets = Gen.OneOf(
            Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)),
            Gen.ArrayOf(Gen.Zip(Gen.Choose(0, Valid.Length - 1), Gen.Choose(0, 255))).Select(Mutate),
            Gen.Choose(0, Valid.Length).Select(n => Valid[..n]))
        .ToArbitrary();

    [Property(MaxTest = 3000)]
    public Property Reading_any_bytes_never_throws_and_what_is_read_writes_back_the_same() =>
        Prop.ForAll(Packets, packet =>
        {
            if (!DnsCodec.TryRead(packet, out DnsMessage message))
            {
                return true;
            }

            foreach (DnsRecord record in message.AllRecords)
            {
                _ = (record.PtrTarget(), record.Srv(), record.TxtEntries(), record.AddressValue());
            }

            new ServiceCache(MarcelService.TcpType, TimeProvider.System).Observe(message);
            byte[] again;
            try
            {
                again = DnsCodec.Write(message);
            }
            catch (ArgumentException)
            {
                return true; // Invalid UTF-8 in a label is read as U+FFFD (3 bytes): written back it may pass 63 bytes, and is refused.
            }

            return DnsCodec.TryRead(again, out DnsMessage reread)
                && reread.AllRecords.Zip(message.AllRecords).All(p => p.First.SameAs(p.Second))
                && reread.Questions.SequenceEqual(message.Questions);
        });

    private static byte[] Mutate((int At, int Value)[] changes)
    {
        byte[] packet = [.. Valid];
        foreach ((int at, int value) in changes.Take(4))
        {
            packet[at] = (byte)value;
        }

        return packet;
    }
}
