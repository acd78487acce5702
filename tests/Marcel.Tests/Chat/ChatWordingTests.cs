namespace Marcel.Tests.Chat;

/// <summary>What the room's operator reads: the help lists every command, counts read as sentences (no "0 client(s)").</summary>
public class ChatWordingTests
{
    [Fact]
    public async Task Operator_help_lists_quit()
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        room.Console.Type("/help");

        string help = await room.Console.WaitForAsync("Operator commands");
        Assert.Contains("/quit", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "Shutting down: nobody to say goodbye to.")]
    [InlineData(1, "Shutting down: saying goodbye to 1 client...")]
    [InlineData(2, "Shutting down: saying goodbye to 2 clients...")]
    public async Task The_shutdown_notice_counts_in_words(int clients, string notice)
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        var members = new List<Support.LineClient>();
        for (int i = 0; i < clients; i++) members.Add((await room.JoinAsync()).Client);

        await room.StopAsync();

        Assert.Equal(notice, await room.Console.WaitForAsync("Shutting down"));
        foreach (Support.LineClient member in members) await member.DisposeAsync();
    }

    [Theory]
    [InlineData(1, "1 in the room, 1 connection open:")]
    [InlineData(2, "2 in the room, 2 connections open:")]
    public async Task Who_counts_connections_in_words(int clients, string header)
    {
        await using InProcessRoom room = await InProcessRoom.StartAsync();
        var members = new List<Support.LineClient>();
        for (int i = 0; i < clients; i++) members.Add((await room.JoinAsync()).Client);

        room.Console.Type("/who");

        Assert.Equal(header, await room.Console.WaitForAsync(" open:"));
        foreach (Support.LineClient member in members) await member.DisposeAsync();
    }
}
