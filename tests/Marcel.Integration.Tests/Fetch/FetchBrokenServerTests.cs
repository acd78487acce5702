using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary>Servers that misbehave at the socket level, played by a raw loopback socket: curl's 52, 8 and 28.</summary>
public sealed class FetchBrokenServerTests
{
    [Fact]
    public async Task A_server_that_closes_without_a_reply_gives_52()
    {
        await using var server = RawServer.Start(reply: null, reset: false);

        FetchRun run = await FetchProcess.RunAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(52, run.ExitCode);
        Assert.Contains("Empty reply", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_that_is_not_HTTP_gives_8()
    {
        await using var server = RawServer.Start(reply: "SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n", reset: false);

        FetchRun run = await FetchProcess.RunAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(8, run.ExitCode);
    }

    [Fact]
    public async Task A_connection_reset_in_the_middle_of_the_body_gives_56()
    {
        await using var server = RawServer.Start(reply: "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\npartial body", reset: true);

        FetchRun run = await FetchProcess.RunAsync($"http://127.0.0.1:{server.Port}/");

        Assert.Equal(56, run.ExitCode);
        Assert.Contains("(56)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_that_is_never_accepted_times_out_with_28()
    {
        // A listener whose accept queue is full: Linux drops further SYNs, so the next connect hangs.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), TestContext.Current.CancellationToken).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
            }

            FetchRun run = await FetchProcess.RunAsync("--connect-timeout", "1", $"http://127.0.0.1:{port}/");

            Assert.Equal(28, run.ExitCode);
            Assert.Contains("timed out", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    /// <summary>
    /// Accepts connections, reads each request head, sends <c>reply</c> (or nothing) and closes, or resets (RST). In a loop, because
    /// SocketsHttpHandler retries a GET (idempotent) a few times when a connection closes without a reply.
    /// </summary>
    private sealed class RawServer : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly Task _serving;

        private RawServer(Socket listener, string? reply, bool reset)
        {
            _listener = listener;
            _serving = ServeAsync(reply, reset);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

        public static RawServer Start(string? reply, bool reset)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(8);
            return new RawServer(listener, reply, reset);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Dispose();
            await _serving.WaitAsync(Timeouts.Step).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        private async Task ServeAsync(string? reply, bool reset)
        {
            try
            {
                while (true)
                {
                    using Socket client = await _listener.AcceptAsync(Timeouts.StepToken());
                    await AnswerAsync(client, reply, reset);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The test is over and disposed the listener.
            }
        }

        private static async Task AnswerAsync(Socket client, string? reply, bool reset)
        {
            var buffer = new byte[4096];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                int read = await client.ReceiveAsync(buffer, Timeouts.StepToken());
                if (read == 0) return;
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            if (reply is not null)
            {
                await client.SendAsync(Encoding.ASCII.GetBytes(reply), Timeouts.StepToken());
            }

            if (reset)
            {
                // Linger 0: close sends RST instead of FIN, as a crashed middlebox or a killed peer with unread data.
                client.LingerState = new LingerOption(true, 0);
                client.Close();
                return;
            }

            client.Shutdown(SocketShutdown.Both);
        }
    }
}
