using System.Buffers;
using System.Text;
using Marcel.Core.Framing;
using Marcel.Tests.Support;

namespace Marcel.Tests.Framing;

public class LineFramerTests
{
    private static List<string> CutAll(byte[] data, int max, out LineStatus last, out long leftover)
    {
        var lines = new List<string>();
        var buffer = new ReadOnlySequence<byte>(data);
        while ((last = LineFramer.TryReadLine(ref buffer, max, out ReadOnlySequence<byte> line)) == LineStatus.Complete)
        {
            lines.Add(LineFramer.Decode(line));
        }

        leftover = buffer.Length;
        return lines;
    }

    [Fact]
    public void Lines_end_with_LF_or_CRLF_and_lose_their_terminator()
    {
        List<string> lines = CutAll("bonjour\r\nça va ?\nfin"u8.ToArray(), 100, out LineStatus last, out long leftover);
        Assert.Equal(["bonjour", "ça va ?"], lines);
        Assert.Equal(LineStatus.Incomplete, last);
        Assert.Equal(3, leftover);
    }

    [Fact]
    public void A_line_split_at_every_byte_is_found_whole()
    {
        byte[] data = Encoding.UTF8.GetBytes("Vous êtes connecté\r\n");
        // One segment per byte: the worst a TCP stream can do.
        ReadOnlySequence<byte> buffer = Segments.OneBytePerSegment(data);
        Assert.Equal(LineStatus.Complete, LineFramer.TryReadLine(ref buffer, 100, out ReadOnlySequence<byte> line));
        Assert.Equal("Vous êtes connecté", LineFramer.Decode(line));
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void A_line_of_exactly_the_maximum_is_accepted_and_one_byte_more_is_refused()
    {
        var exact = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', 10) + "\r\n"));
        Assert.Equal(LineStatus.Complete, LineFramer.TryReadLine(ref exact, 10, out _));

        var over = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(new string('a', 11) + "\n"));
        Assert.Equal(LineStatus.TooLong, LineFramer.TryReadLine(ref over, 10, out _));
    }

    [Fact]
    public void An_endless_line_is_refused_before_its_end_arrives()
    {
        var flood = new ReadOnlySequence<byte>(new byte[12]);
        Assert.Equal(LineStatus.TooLong, LineFramer.TryReadLine(ref flood, 10, out _));
        var almost = new ReadOnlySequence<byte>(new byte[11]);
        Assert.Equal(LineStatus.Incomplete, LineFramer.TryReadLine(ref almost, 10, out _));
    }

    [Fact]
    public void Invalid_UTF8_becomes_replacement_characters()
    {
        var buffer = new ReadOnlySequence<byte>([0x61, 0xff, 0xc3, 0x28, 0x0a]);
        Assert.Equal(LineStatus.Complete, LineFramer.TryReadLine(ref buffer, 100, out ReadOnlySequence<byte> line));
        Assert.Equal("a\uFFFD\uFFFD(", LineFramer.Decode(line));
    }

    [Fact]
    public void The_remainder_of_an_unterminated_chunk_drops_a_trailing_CR()
    {
        Assert.Equal("FIN", LineFramer.Decode(LineFramer.TakeRemainder(new ReadOnlySequence<byte>("FIN\r"u8.ToArray()))));
    }
}
