using System.Net.Http.Headers;
using System.Text;
using Marcel.Core.Fetch;

namespace Marcel.Tests.Fetch;

/// <summary>Charset choice and binary detection for the terminal, and the neutralised text itself.</summary>
public sealed class BodyCharsetTests
{
    [Theory]
    [InlineData("text/html; charset=ISO-8859-1", 1252)]
    [InlineData("text/html; charset=latin1", 1252)]
    [InlineData("text/html; charset=windows-1252", 1252)]
    [InlineData("text/html; charset=\"utf-8\"", 65001)]
    [InlineData("text/html; charset=koi8-r", 20866)]
    [InlineData("text/html; charset=no-such-charset", 65001)]
    [InlineData("text/html", 65001)]
    public void The_charset_named_by_the_response_is_used(string contentType, int codePage)
    {
        Assert.Equal(codePage, BodyCharset.For(MediaTypeHeaderValue.Parse(contentType)).CodePage);
    }

    [Theory]
    [InlineData("image/png", "abc", true)]
    [InlineData("application/octet-stream", "abc", true)]
    [InlineData("text/plain", "abc", false)]
    [InlineData("application/json", "{}", false)]
    [InlineData("image/svg+xml", "<svg/>", false)]
    [InlineData(null, "abc", false)]
    [InlineData(null, "a\0c", true)]
    [InlineData("text/plain", "a\0c", true)]
    public void Binary_bodies_are_recognised(string? contentType, string firstBytes, bool binary)
    {
        MediaTypeHeaderValue? type = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        Assert.Equal(binary, BodyCharset.IsBinary(type, Encoding.UTF8, Encoding.Latin1.GetBytes(firstBytes)));
    }

    [Fact]
    public void Text_split_across_reads_is_decoded_whole_and_escape_sequences_are_neutralised()
    {
        using var screen = new StringWriter();
        var text = new TerminalText(screen, Encoding.UTF8, 16);
        byte[] bytes = Encoding.UTF8.GetBytes("é\u001b[2Jfin");

        text.Write(bytes.AsSpan(0, 1));
        text.Write(bytes.AsSpan(1));
        text.Complete();

        Assert.Equal("é\u241b[2Jfin" + Environment.NewLine, screen.ToString());
    }
}
