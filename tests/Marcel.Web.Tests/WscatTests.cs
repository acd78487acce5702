namespace Marcel.Web.Tests;

/// <summary>wscat against the browser room's socket.</summary>
public sealed class WscatTests
{
    [Fact]
    public async Task Wscat_sends_a_line_and_reads_the_answer()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        await using PeerProcess wscat = await Wscat.ConnectAsync(room.Page, EchoRoom.Greeting, room.Origin);
        await wscat.WriteLineAsync("bonjour é 🎉");
        await wscat.WaitForOutputAsync("echo: bonjour é 🎉");
    }
}
