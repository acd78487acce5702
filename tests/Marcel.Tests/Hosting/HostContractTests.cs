using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Marcel.Core.Hosting;
using Marcel.Core.Security;
using Marcel.Tests.Support;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Marcel.Tests.Hosting;

/// <summary>What both hosts must do alike: the dialogue stands on Kestrel, the chat room on bare sockets.</summary>
public class HostContractTests
{
    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task A_port_already_in_use_is_a_bind_failure_that_says_so(string kind)
    {
        TcpListener taken = Loopback.Listen(out int port);
        try
        {
            var error = await Assert.ThrowsAsync<ServerBindException>(() => AnyHost.StartAsync(kind, _ => Task.CompletedTask, port: port));
            Assert.Equal(BindFailure.AddressInUse, error.Failure);
            Assert.Equal($"127.0.0.1:{port}", error.Address);
        }
        finally
        {
            taken.Stop();
        }
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task A_second_server_on_the_same_port_is_refused(string kind)
    {
        await using AnyHost first = await AnyHost.StartAsync(kind, _ => Task.CompletedTask);
        var error = await Assert.ThrowsAsync<ServerBindException>(() => AnyHost.StartAsync(kind, _ => Task.CompletedTask, port: first.Port));
        Assert.Equal(BindFailure.AddressInUse, error.Failure);
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task A_port_whose_last_connection_is_in_time_wait_can_be_listened_on_at_once_as_after_a_restart(string kind)
    {
        // .NET sets SO_REUSEADDR on Unix listening sockets, as ncat does; this guards it for both hosts.
        int port = await Loopback.PortInTimeWaitAsync(serverClosesFirst: true);
        await using AnyHost host = await AnyHost.StartAsync(kind, async connection => await connection.Transport.Output.WriteAsync("back\n"u8.ToArray()), port: port);
        await using LineClient client = await LineClient.ConnectAsync(port);
        Assert.Equal("back", await client.ReadLineAsync());
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task Accepted_sockets_have_nagle_disabled_so_small_lines_leave_at_once(string kind)
    {
        var noDelay = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using AnyHost host = await AnyHost.StartAsync(kind, connection =>
        {
            noDelay.TrySetResult(connection.Features.Get<IConnectionSocketFeature>()?.Socket.NoDelay ?? false);
            return Task.CompletedTask;
        });
        await using LineClient client = await LineClient.ConnectAsync(host.Port);
        Assert.True(await noDelay.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task A_handler_that_throws_loses_its_connection_only_and_the_next_client_is_served(string kind)
    {
        int calls = 0;
        await using AnyHost host = await AnyHost.StartAsync(kind, async connection =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("a bug in the handler");
            }

            await connection.Transport.Output.WriteAsync("served\n"u8.ToArray());
        });

        await using (LineClient first = await LineClient.ConnectAsync(host.Port))
        {
            Assert.Empty(await first.ReadToEndAsync());
        }

        await using LineClient second = await LineClient.ConnectAsync(host.Port);
        Assert.Equal("served", await second.ReadLineAsync());
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task Stopping_ends_a_handler_that_would_read_forever_within_the_grace_period_and_closes_its_client(string kind)
    {
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using AnyHost host = await AnyHost.StartAsync(kind, async connection =>
        {
            reading.TrySetResult();
            while (!(await connection.Transport.Input.ReadAsync()).IsCompleted)
            {
                // Reads and ignores until the connection is gone.
            }
        });
        await using LineClient client = await LineClient.ConnectAsync(host.Port);
        await reading.Task.WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        await host.StopAsync().WaitAsync(Timeouts.Step, TestContext.Current.CancellationToken);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(6)); // 2 s of grace, then aborted.
        Assert.Empty(await ReadToEndOrResetAsync(client));
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task Over_tls_the_handler_sees_plain_bytes_both_ways(string kind)
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("localhost", DateTimeOffset.UtcNow);
        await using AnyHost host = await AnyHost.StartAsync(kind, EchoOneLineAsync, tls: new TlsServerOptions { Certificate = certificate });

        await using SslStream tls = await ConnectTlsAsync(host.Port, certificate);
        await tls.WriteAsync("bonjour\n"u8.ToArray(), Timeouts.StepToken());
        using var reader = new StreamReader(tls, Encoding.UTF8);
        Assert.Equal("echo: bonjour", await reader.ReadLineAsync(Timeouts.StepToken()));
    }

    [Theory]
    [MemberData(nameof(AnyHost.Kinds), MemberType = typeof(AnyHost))]
    public async Task A_silent_tls_client_is_dropped_after_the_handshake_timeout_while_another_is_served(string kind)
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("localhost", DateTimeOffset.UtcNow);
        var options = new TlsServerOptions { Certificate = certificate, HandshakeTimeout = TimeSpan.FromSeconds(1) };
        await using AnyHost host = await AnyHost.StartAsync(kind, EchoOneLineAsync, tls: options);

        await using LineClient silent = await LineClient.ConnectAsync(host.Port);
        await using (SslStream other = await ConnectTlsAsync(host.Port, certificate))
        {
            await other.WriteAsync("meanwhile\n"u8.ToArray(), Timeouts.StepToken());
            using var reader = new StreamReader(other, Encoding.UTF8);
            Assert.Equal("echo: meanwhile", await reader.ReadLineAsync(Timeouts.StepToken()));
        }

        var clock = Stopwatch.StartNew();
        Assert.Empty(await ReadToEndOrResetAsync(silent));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    // Reads one line and answers it: enough to see the bytes cross both ways.
    private static async Task EchoOneLineAsync(ConnectionContext connection)
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
