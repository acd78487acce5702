using Marcel.Core.Chat;

namespace Marcel.Tests.Chat;

public class ChatCommandParserTests
{
    [Theory]
    [InlineData("/nick bob", ChatCommandKind.Nick, "bob")]
    [InlineData("  /NICK   bob  ", ChatCommandKind.Nick, "bob")]
    [InlineData("/nick", ChatCommandKind.Nick, "")]
    [InlineData("/who", ChatCommandKind.Who, "")]
    [InlineData("/help", ChatCommandKind.Help, "")]
    [InlineData("/quit", ChatCommandKind.Quit, "")]
    [InlineData("FIN", ChatCommandKind.Quit, "")]
    [InlineData(" fin ", ChatCommandKind.Quit, "")]
    [InlineData("/kick user3", ChatCommandKind.Kick, "user3")]
    [InlineData("/dance now", ChatCommandKind.Unknown, "/dance")]
    [InlineData("/stats", ChatCommandKind.Stats, "")]
    [InlineData("/", ChatCommandKind.Unknown, "/")]
    public void Commands_are_recognised_with_their_argument(string line, ChatCommandKind kind, string argument)
    {
        Assert.True(ChatCommandParser.TryParse(line, out ChatCommand command));
        Assert.Equal(new ChatCommand(kind, argument), command);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("FIN de journée")]
    [InlineData("a /who")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_a_message(string? line) => Assert.False(ChatCommandParser.TryParse(line, out _));

    [Theory]
    [InlineData("bob", true)]
    [InlineData("Jean-Marc_2.0", true)]
    [InlineData("2fast", false)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("é", false)]
    [InlineData("marcel", false)]
    [InlineData("abcdefghijabcdefghijabcdefghijabc", false)]
    public void Names_are_short_plain_and_not_the_server_s(string name, bool valid) => Assert.Equal(valid, ChatNames.IsValid(name, "Marcel"));
}
