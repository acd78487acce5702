using System.Text;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Chat.Udp;
using Marcel.Core.Framing;

namespace Marcel.Tests.Chat.Udp;

/// <summary>How room events become datagrams: whole lines, packed within the largest datagram, never cut.</summary>
public sealed class DatagramBatchTests
{
    private static readonly MemberIdentity Bob = new("n/1", "bob", MemberKinds.Udp, "n", null);

    [Fact]
    public void Queued_lines_share_datagrams_while_they_fit_and_keep_their_order()
    {
        EncodedEvent[] batch = [Event("one\n"), Event("two\n"), Event("three\n"), Event("four\n")];

        List<ReadOnlyMemory<byte>> datagrams = DatagramBatch.Datagrams(batch, maxBytes: 12);

        Assert.Equal(["one\ntwo\n", "three\nfour\n"], datagrams.Select(Text));
    }

    [Fact]
    public void Without_a_maximum_each_message_goes_alone()
    {
        EncodedEvent[] batch = [Event("one\n"), Event("two\n")];

        Assert.Equal(["one\n", "two\n"], DatagramBatch.Datagrams(batch, maxBytes: 0).Select(Text));
    }

    [Fact]
    public void Said_lines_carry_the_prefix_and_are_packed_whole_within_the_maximum()
    {
        var format = new DatagramWireFormat(LineEnding.Lf, maxDatagramBytes: 256);
        string longLine = new('x', 240); // 247 bytes with its prefix: alone in a datagram of 256, not after the 21 before it.
        var said = new MemberSaid(Bob, Encoding.UTF8.GetBytes("hi\nthere\n" + longLine + "\n"), 3);

        EncodedEvent encoded = format.Encode(said);

        Assert.Equal(["<bob> hi\n<bob> there\n", "<bob> " + longLine + "\n"], Messages(encoded));
    }

    [Fact]
    public void A_said_line_over_the_maximum_is_replaced_by_a_notice_never_cut()
    {
        var format = new DatagramWireFormat(LineEnding.CrLf, maxDatagramBytes: 256);
        var said = new MemberSaid(Bob, Encoding.UTF8.GetBytes("ok\n" + new string('y', 300) + "\n"), 2);

        List<string> messages = Messages(format.Encode(said));

        string all = string.Concat(messages);
        Assert.StartsWith("<bob> ok\r\n", all, StringComparison.Ordinal);
        Assert.DoesNotContain("yyy", all, StringComparison.Ordinal);
        Assert.Contains("bob", all[10..], StringComparison.Ordinal);
        Assert.Contains("256", all[10..], StringComparison.Ordinal);
        Assert.All(messages, m => Assert.True(Encoding.UTF8.GetByteCount(m) <= 256));
    }

    private static EncodedEvent Event(string text) => new(Encoding.UTF8.GetBytes(text), new[] { Encoding.UTF8.GetByteCount(text) });

    private static string Text(ReadOnlyMemory<byte> datagram) => Encoding.UTF8.GetString(datagram.Span);

    private static List<string> Messages(EncodedEvent encoded)
    {
        var messages = new List<string>();
        int start = 0;
        foreach (int end in encoded.MessageEnds.Span)
        {
            messages.Add(Encoding.UTF8.GetString(encoded.Bytes.Span[start..end]));
            start = end;
        }

        return messages;
    }
}
