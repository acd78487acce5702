using System.Net.Sockets;
using Marcel.Core.Dialogue;
using Marcel.Core.Hosting;
using Marcel.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marcel.Tests.Dialogue;

/// <summary>The dialogue's waiting line: positions that agree with the server's next pick, and a bound on what a waiting client may make us hold.</summary>
public class WaitingLineTests
{
    [Fact]
    public async Task A_client_that_arrives_while_the_server_waits_is_handed_over_and_told_nothing()
    {
        var line = new WaitingLine<string>(10);
        Task<string> next = line.TakeAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, line.Join("ann"));
        Assert.Equal("ann", await next.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
        Assert.Equal(1, line.Join("bob")); // Ann is being served: Bob is next.
        Assert.Equal(2, line.Join("cid"));
    }

    [Fact]
    public async Task A_client_that_arrives_while_the_server_is_free_but_not_yet_waiting_is_not_told_to_wait()
    {
        var line = new WaitingLine<string>(10);
        Assert.Equal(0, line.Join("ann")); // Before the server's first take: Ann is next, with nobody ahead.
        Assert.Equal(1, line.Join("bob"));
        Assert.Equal("ann", await line.TakeAsync(TestContext.Current.CancellationToken));
        line.Free(); // Ann's conversation ended and the server takes the next at once.
        Assert.Equal(1, line.Join("cid")); // Bob is about to be taken, so Cid is next after him.
        Assert.Equal("bob", await line.TakeAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_client_that_leaves_the_line_moves_those_behind_it_up()
    {
        var line = new WaitingLine<string>(10);
        Task<string> first = line.TakeAsync(TestContext.Current.CancellationToken);
        line.Join("ann");
        await first;
        Assert.Equal(1, line.Join("bob"));
        Assert.True(line.Leave("bob"));
        Assert.Equal(1, line.Join("cid"));
        Assert.False(line.Leave("ann")); // Already taken: served, not in line.
    }

    [Fact]
    public void Past_its_capacity_the_line_is_full_and_once_closed_nobody_joins()
    {
        var line = new WaitingLine<string>(2);
        Assert.Equal(0, line.Join("ann"));
        Assert.Equal(1, line.Join("bob"));
        Assert.Equal(WaitingLine<string>.Full, line.Join("cid"));
        Assert.Equal(["ann", "bob"], line.Close());
        Assert.Equal(WaitingLine<string>.Closed, line.Join("dan"));
    }

    [Fact]
    public async Task A_waiting_client_that_floods_is_held_at_the_line_limit_and_its_sends_block_until_its_turn()
    {
        const int MaxLine = 65_536;
        var console = new QueueOperator();
        var server = new DialogueServer(new DialogueOptions { KeepOpen = true }, console, NullLogger.Instance);
        await using TcpServerHost host = await TestHost.StartAsync(server.OnConnectedAsync);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task running = server.RunAsync(host.BoundEndPoints, stop.Token);

        await using LineClient talking = await LineClient.ConnectAsync(host.Port());
        Assert.StartsWith("You are connected", await talking.ReadLineAsync(), StringComparison.Ordinal);
        await using LineClient waiting = await LineClient.ConnectAsync(host.Port());
        Assert.StartsWith("You are number 1 in line", await waiting.ReadLineAsync(), StringComparison.Ordinal);

        // 100 MB without a newline, sent without waiting: the kernel takes what its buffers hold, then refuses.
        long sent = FloodUntilBlocked(waiting.Socket, 100L * 1024 * 1024);
        Assert.InRange(sent, MaxLine, 100L * 1024 * 1024 - 1);
        Assert.InRange(server.WaitingBufferedBytes, MaxLine, MaxLine + 4096);

        // Its turn: what it sent is read then, in order, and is one line too long.
        console.Type("fin");
        Assert.Equal("Goodbye!", await talking.ReadLineAsync());
        Assert.Equal("It is your turn.", await waiting.ReadLineAsync());
        Assert.StartsWith("You are connected", await waiting.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal($"Message too long (over {MaxLine} bytes): connection closed.", await waiting.ReadLineAsync());

        await stop.CancelAsync();
        await running.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_waiting_client_that_hangs_up_leaves_the_line_and_the_next_newcomer_is_told_the_right_number()
    {
        var console = new QueueOperator();
        var server = new DialogueServer(new DialogueOptions { KeepOpen = true }, console, NullLogger.Instance);
        await using TcpServerHost host = await TestHost.StartAsync(server.OnConnectedAsync);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        Task running = server.RunAsync(host.BoundEndPoints, stop.Token);

        await using LineClient talking = await LineClient.ConnectAsync(host.Port());
        Assert.StartsWith("You are connected", await talking.ReadLineAsync(), StringComparison.Ordinal);
        await using (LineClient leaving = await LineClient.ConnectAsync(host.Port()))
        {
            Assert.StartsWith("You are number 1 in line", await leaving.ReadLineAsync(), StringComparison.Ordinal);
        }

        // The server notices the hang-up of a waiting client on its own; no event tells the line got shorter.
        await Eventually.TrueAsync(() => server.WaitingCount == 0, () => $"{server.WaitingCount} still waiting");

        await using LineClient next = await LineClient.ConnectAsync(host.Port());
        Assert.StartsWith("You are number 1 in line", await next.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Equal([1, 1], console.Positions);

        await stop.CancelAsync();
        await running.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }

    // Sends without blocking until the socket refuses more for two seconds running (the peer stopped reading) or all is sent.
    private static long FloodUntilBlocked(Socket socket, long total)
    {
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        socket.Blocking = false;
        long sent = 0;
        while (sent < total)
        {
            int n = socket.Send(chunk, 0, (int)Math.Min(chunk.Length, total - sent), SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock)
            {
                if (!socket.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectWrite))
                {
                    break;
                }

                continue;
            }

            Assert.Equal(SocketError.Success, error);
            sent += n;
        }

        socket.Blocking = true;
        return sent;
    }
}
