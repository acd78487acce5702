using System.Text;
using Marcel.Core.Framing;

namespace Marcel.Tests.Datagrams;

public class DatagramLinesTests
{
    [Theory]
    [InlineData("hello\n", new[] { "hello" })]
    [InlineData("hello", new[] { "hello" })]
    [InlineData("a\r\nb\n", new[] { "a", "b" })]
    [InlineData("a\n\nb", new[] { "a", "", "b" })]
    [InlineData("\n", new[] { "" })]
    [InlineData("", new string[0])]
    public void A_datagram_is_whole_lines_and_a_last_line_needs_no_newline(string payload, string[] expected) =>
        Assert.Equal(expected, DatagramLines.Split(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void Invalid_UTF8_in_a_datagram_becomes_replacement_characters() =>
        Assert.Equal(["a\uFFFDb"], DatagramLines.Split([(byte)'a', 0xC3, (byte)'b', (byte)'\n']));

    [Fact]
    public void A_message_is_encoded_once_with_its_line_ending_and_its_size_is_known_before()
    {
        byte[] payload = DatagramLines.Encode("été", LineEnding.CrLf);
        Assert.Equal("été\r\n"u8.ToArray(), payload);
        Assert.Equal(payload.Length, DatagramLines.ByteCount("été", LineEnding.CrLf));
    }
}
