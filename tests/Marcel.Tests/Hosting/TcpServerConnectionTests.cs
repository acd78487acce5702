using System.Net;
using System.Net.Sockets;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hosting;

/// <summary>The contract every accepted connection keeps (<see cref="IServerConnection"/>): endpoints, its end, and one shape for a reset.</summary>
public class TcpServerConnectionTests
{
    [Fact]
    public async Task A_connection_knows_the_address_the_peer_reached_and_the_peer_s_own()
    {
        var seen = new TaskCompletionSource<(EndPoint? Local, EndPoint? Remote)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(connection =>
        {
            seen.TrySetResult((connection.LocalEndPoint, connection.RemoteEndPoint));
            return Task.CompletedTask;
        });

        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        (EndPoint? local, EndPoint? remote) = await seen.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, host.Port()), local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)client.Socket.LocalEndPoint!).Port), remote);
    }

    [Fact]
    public async Task Connection_closed_fires_once_the_handler_has_ended_and_not_before()
    {
        var token = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(async connection =>
        {
            token.TrySetResult(connection.ConnectionClosed);
            await release.Task;
        });

        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        CancellationToken closed = await token.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.False(closed.IsCancellationRequested);
        release.TrySetResult();
        await WhenCancelledAsync(closed);
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Connection_closed_fires_when_the_handler_aborts()
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(async connection =>
        {
            CancellationToken closed = connection.ConnectionClosed;
            connection.Abort();
            await WhenCancelledAsync(closed);
            fired.TrySetResult();
        });

        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        await fired.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("read")]
    [InlineData("wait")]
    public async Task A_reset_by_the_peer_fails_a_read_and_a_wait_with_an_io_exception(string how)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(async connection =>
        {
            try
            {
                ready.TrySetResult();
                if (how == "wait")
                {
                    await connection.WaitForDataAsync(CancellationToken.None);
                }

                await connection.Transport.Input.ReadAsync();
                failure.TrySetResult(null);
            }
            catch (Exception e)
            {
                failure.TrySetResult(e);
            }
        });

        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, host.Port()), Timeouts.StepToken());
        await ready.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        client.LingerState = new LingerOption(true, 0);
        client.Dispose(); // RST, not FIN.

        Exception? error = await failure.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.IsAssignableFrom<IOException>(error);
    }

    private static async Task WhenCancelledAsync(CancellationToken token)
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration registration = token.Register(() => cancelled.TrySetResult());
        await cancelled.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
    }
}
