using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Marcel.Core.Hosting;
using Marcel.Core.Security;
using Marcel.Core.Transport;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hosting;

/// <summary>What the one TCP host promises every handler (the dialogue and the chat room stand on it).</summary>
public class HostContractTests
{
    [Fact]
    public async Task A_port_already_in_use_is_a_bind_failure_that_says_so()
    {
        TcpListener taken = Loopback.Listen(out int port);
        try
        {
            var error = await Assert.ThrowsAsync<ServerBindException>(() => TestHost.StartAsync(_ => Task.CompletedTask, port: port));
            Assert.Equal(BindFailure.AddressInUse, error.Failure);
            Assert.Equal($"127.0.0.1:{port}", error.Address);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task A_second_server_on_the_same_port_is_refused()
    {
        await using TcpServerHost first = await TestHost.StartAsync(_ => Task.CompletedTask);
        var error = await Assert.ThrowsAsync<ServerBindException>(() => TestHost.StartAsync(_ => Task.CompletedTask, port: first.Port()));
        Assert.Equal(BindFailure.AddressInUse, error.Failure);
    }

    [Fact]
    public async Task A_port_whose_last_connection_is_in_time_wait_can_be_listened_on_at_once_as_after_a_restart()
    {
        // .NET sets SO_REUSEADDR on Unix listening sockets, as ncat does; this guards it.
        int port = await Loopback.PortInTimeWaitAsync(serverClosesFirst: true);
        await using TcpServerHost host = await TestHost.StartAsync(async connection => await connection.Transport.Output.WriteAsync("back\n"u8.ToArray()), port: port);
        await using LineClient client = await LineClient.ConnectAsync(port);
        Assert.Equal("back", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Accepted_sockets_have_nagle_disabled_so_small_lines_leave_at_once()
    {
        var noDelay = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(connection =>
        {
            noDelay.TrySetResult(connection.Socket().NoDelay);
            return Task.CompletedTask;
        });
        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        Assert.True(await noDelay.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_handler_that_throws_loses_its_connection_only_and_the_next_client_is_served()
    {
        int calls = 0;
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("a bug in the handler");
            }

            await connection.Transport.Output.WriteAsync("served\n"u8.ToArray());
        });

        await using (LineClient first = await LineClient.ConnectAsync(host.Port()))
        {
            Assert.Empty(await first.ReadToEndAsync());
        }

        await using LineClient second = await LineClient.ConnectAsync(host.Port());
        Assert.Equal("served", await second.ReadLineAsync());
    }

    [Fact]
    public async Task Stopping_ends_a_handler_that_would_read_forever_within_the_grace_period_and_closes_its_client()
    {
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TcpServerHost host = await TestHost.StartAsync(async connection =>
        {
            reading.TrySetResult();
            while (!(await connection.Transport.Input.ReadAsync()).IsCompleted)
            {
                // Reads and ignores until the connection is gone.
            }
        });
        await using LineClient client = await LineClient.ConnectAsync(host.Port());
        await reading.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(6)); // 2 s of grace, then aborted.
        Assert.Empty(await ReadToEndOrResetAsync(client));
    }

    [Fact]
    public async Task Over_tls_the_handler_sees_plain_bytes_both_ways()
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("localhost", DateTimeOffset.UtcNow);
        await using TcpServerHost host = await TestHost.StartAsync(EchoOneLineAsync, tls: new TlsServerOptions { Certificate = certificate });

        await using SslStream tls = await ConnectTlsAsync(host.Port(), certificate);
        await tls.WriteAsync("bonjour\n"u8.ToArray(), Timeouts.StepToken());
        using var reader = new StreamReader(tls, Encoding.UTF8);
        Assert.Equal("echo: bonjour", await reader.ReadLineAsync(Timeouts.StepToken()));
    }

    [Fact]
    public async Task A_silent_tls_client_is_dropped_after_the_handshake_timeout_while_another_is_served()
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("localhost", DateTimeOffset.UtcNow);
        var options = new TlsServerOptions { Certificate = certificate, HandshakeTimeout = TimeSpan.FromSeconds(1) };
        await using TcpServerHost host = await TestHost.StartAsync(EchoOneLineAsync, tls: options);

        await using LineClient silent = await LineClient.ConnectAsync(host.Port());
        await using (SslStream other = await ConnectTlsAsync(host.Port(), certificate))
        {
            await other.WriteAsync("meanwhile\n"u8.ToArray(), Timeouts.StepToken());
            using var reader = new StreamReader(other, Encoding.UTF8);
            Assert.Equal("echo: meanwhile", await reader.ReadLineAsync(Timeouts.StepToken()));
        }

        var clock = Stopwatch.StartNew();
        Assert.Empty(await ReadToEndOrResetAsync(silent));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_tls_connection_whose_handshake_finishes_while_the_host_stops_is_not_served_and_stop_waits_for_it()
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("localhost", DateTimeOffset.UtcNow);
        int served = 0;
        await using TcpServerHost host = await TestHost.StartAsync(connection =>
        {
            Interlocked.Increment(ref served);
            return EchoOneLineAsync(connection);
        }, tls: new TlsServerOptions { Certificate = certificate });
        var handshaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.AfterHandshake = async () =>
        {
            handshaken.TrySetResult();
            await release.Task;
        };

        await using SslStream tls = await ConnectTlsAsync(host.Port(), certificate);
        await handshaken.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Task stopping = host.StopAsync();
        // The connection was counted from accept: stop cannot be done while its handshake is still being finished.
        // A deliberate negative check: for 300 ms, stopping must not complete.
        Assert.NotSame(stopping, await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(300), TestContext.Current.CancellationToken)));
        release.TrySetResult();
        await stopping.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);

        Assert.Equal(0, Volatile.Read(ref served));
        Assert.Equal(0, await tls.ReadAsync(new byte[16], Timeouts.StepToken())); // Closed (with close_notify), never served.
    }

    // Reads one line and answers it: enough to see the bytes cross both ways.
    private static async Task EchoOneLineAsync(IServerConnection connection)
    {
        while (true)
        {
            System.IO.Pipelines.ReadResult read = await connection.Transport.Input.ReadAsync();
            string text = Encoding.UTF8.GetString(read.Buffer);
            int end = text.IndexOf('\n', StringComparison.Ordinal);
            if (end >= 0)
            {
                await connection.Transport.Output.WriteAsync(Encoding.UTF8.GetBytes("echo: " + text[..end] + "\n"));
                return;
            }

            connection.Transport.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    private static async Task<SslStream> ConnectTlsAsync(int port, X509Certificate2 expected)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, Timeouts.StepToken());
        return tls;
    }

    // A close and a reset both say "the server let go"; what matters is that nothing else arrives and it does not hang.
    private static async Task<List<string>> ReadToEndOrResetAsync(LineClient client)
    {
        try
        {
            return await client.ReadToEndAsync();
        }
        catch (IOException)
        {
            return [];
        }
    }
}
