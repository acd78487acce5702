using System.Text;

namespace Marcel.Web.Tests;

public sealed class WebSocketLinesTests
{
    [Theory]
    [InlineData("bonjour", new[] { "bonjour" })]
    [InlineData("bonjour\n", new[] { "bonjour" })]
    [InlineData("a\nb\r\nc", new[] { "a", "b", "c" })]
    [InlineData("a\n\nb\n", new[] { "a", "", "b" })]
    [InlineData("", new string[0])]
    [InlineData("\n", new[] { "" })]
    [InlineData("été 🎉\r", new[] { "été 🎉" })]
    public void A_message_is_a_line_and_a_message_with_newlines_is_several(string message, string[] expected)
    {
        var lines = new List<string>();
        var rest = new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(message));
        while (WebSocketLines.TryTake(ref rest, out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        Assert.Equal(expected, lines);
    }
}
