using Marcel.Core.Discovery;

namespace Marcel.Tests.Discovery;

/// <summary>
/// What the DNS codec promises on any bytes, checked in one place for the tests (corpus replay) and the AFL++ harness
/// (fuzz/Marcel.Fuzz, which links this file): reading never throws; a message read is written back, and what is
/// written reads back and rewrites to the same bytes; the service cache takes it in without throwing.
/// </summary>
internal static class DnsInvariants
{
    /// <summary>Null when the codec kept its promises on <paramref name="packet"/>; else the promise broken.</summary>
    public static string? Check(byte[] packet)
    {
        if (!DnsCodec.TryRead(packet, out DnsMessage message))
        {
            return null;
        }

        byte[] written;
        try
        {
            written = DnsCodec.Write(message);
        }
        catch (InvalidOperationException)
        {
            return null; // Names read through compression pointers can add up to more than one message holds uncompressed.
        }
        catch (ArgumentException e)
        {
            return "a message read could not be written: " + e.Message;
        }

        if (!DnsCodec.TryRead(written, out DnsMessage again))
        {
            return "what was written from a message read does not read back";
        }

        if (!DnsCodec.Write(again).AsSpan().SequenceEqual(written))
        {
            return "writing what was read back gave other bytes";
        }

        var cache = new ServiceCache(MarcelService.TcpType, TimeProvider.System);
        cache.Observe(message);
        _ = cache.Instances();
        _ = cache.DueForRefresh();
        cache.Expire();
        return null;
    }
}
