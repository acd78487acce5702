using System.Net.Sockets;
using System.Text;
using Marcel.Core.Hosting;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hosting;

/// <summary>
/// What lets the host hold ten thousand quiet clients cheaply, each shown to work: waiting for data with a
/// zero-byte read, and sends that leave at once when the socket has room (and still arrive whole when it has not).
/// </summary>
public class TcpServerHostTests
{
    [Fact]
    public async Task Waiting_for_data_consumes_nothing_and_the_next_read_gets_every_byte()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            IServerConnection readiness = connection;
            Assert.Equal(0, await readiness.WaitForDataAsync(CancellationToken.None));
            System.IO.Pipelines.ReadResult read = await connection.Transport.Input.ReadAsync();
            seen.TrySetResult(Encoding.UTF8.GetString(read.Buffer));
        });

        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        await client.SendAsync("all of it");
        Assert.Equal("all of it", await seen.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Waiting_for_data_ends_with_a_cancellation_when_the_token_fires()
    {
        var outcomes = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            IServerConnection readiness = connection;
            try
            {
                ValueTask<int> wait = readiness.WaitForDataAsync(stop.Token);
                waiting.TrySetResult();
                await wait;
                outcomes.Add((await connection.Transport.Input.ReadAsync()).IsCompleted ? "closed" : "data");
            }
            catch (OperationCanceledException)
            {
                outcomes.Add("cancelled");
            }

            done.TrySetResult();
        });

        await using (LineClient client = await LineClient.ConnectAsync(host.Port()))
        {
            await waiting.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            await done.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        }

        Assert.Equal(["cancelled"], outcomes);
    }

    [Fact]
    public async Task Waiting_for_data_ends_when_the_peer_closes()
    {
        var outcome = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            ValueTask<int> wait = connection.WaitForDataAsync(CancellationToken.None);
            waiting.TrySetResult();
            await wait;
            outcome.TrySetResult((await connection.Transport.Input.ReadAsync()).IsCompleted);
        });

        LineClient client = await LineClient.ConnectAsync(host.Port());
        await waiting.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        await client.DisposeAsync();
        Assert.True(await outcome.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Output_larger_than_the_socket_buffers_reaches_a_slow_reader_whole_and_in_order()
    {
        // 8 MB of numbered lines: far more than the socket buffers hold, so most of it waits for the client to read.
        const int Lines = 200_000;
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            var text = new StringBuilder();
            for (int i = 0; i < Lines; i++)
            {
                text.Append(i).Append(" ----------------------------------\n");
            }

            ValueTask<System.IO.Pipelines.FlushResult> flush = connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()));
            writing.TrySetResult();
            await flush;
        });

        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        await writing.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        List<string> received = await client.ReadToEndAsync();
        Assert.Equal(Lines, received.Count);
        for (int i = 0; i < Lines; i += 997)
        {
            Assert.StartsWith(i + " ", received[i], StringComparison.Ordinal);
        }

        Assert.StartsWith(Lines - 1 + " ", received[^1], StringComparison.Ordinal);
    }
}
