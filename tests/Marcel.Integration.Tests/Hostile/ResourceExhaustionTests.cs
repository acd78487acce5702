using System.Net;
using System.Net.Sockets;
using Marcel.Tests.Support;
using static Marcel.Tests.Hostile.HostileServeTests;

namespace Marcel.Tests.Hostile;

/// <summary>A process short of file descriptors: the server bends, refuses politely, recovers. (Churn by the thousand: ConnectionChurnLeakTests.)</summary>
public class ResourceExhaustionTests
{
    [Theory]
    [InlineData("--keep-open")] // The dialogue, on Kestrel.
    [InlineData("--chat")] // The chat room, on its bare-socket host.
    public async Task Out_of_file_descriptors_the_server_says_busy_logs_once_and_recovers(string mode)
    {
        string prlimit = ExternalProgram.Require("prlimit");
        // 256, not 64: the JIT-compiled runtime alone keeps ~170 descriptors open (one per loaded assembly), so 64 would not
        // even start it. What matters is the margin: ~40 connections fit, and 300 strangers arrive at once.
        await using PeerProcess server = PeerProcess.Start(prlimit, ["--nofile=256", "dotnet", Path.Combine(AppContext.BaseDirectory, "marcel.dll"), "serve", mode, "--host", "127.0.0.1", "--port", "0"]);
        int port = await MarcelCli.ListeningPortAsync(server);
        int marcel = server.Id; // prlimit execs the command: same process.

        var crowd = new List<Socket>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
                crowd.Add(socket);
            }

            // The last ones wait in the backlog or are told the server is busy; none brings the server down.
            int busy = 0;
            foreach (Socket socket in crowd.Skip(100))
            {
                byte[] buffer = new byte[256];
                using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                try
                {
                    int read = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                    busy += System.Text.Encoding.UTF8.GetString(buffer, 0, read).StartsWith("Server busy:", StringComparison.Ordinal) ? 1 : 0;
                }
                catch (OperationCanceledException)
                {
                    // Still in the backlog: it will be served or refused once room frees up.
                }
            }

            Assert.True(busy > 0, server.ToString());
            Assert.False(server.HasExited, server.ToString());
        }
        finally
        {
            crowd.ForEach(s => s.Dispose());
        }

        await WaitForDescriptorsAsync(marcel, atMost: 200);
        if (mode == "--chat")
        {
            await using LineClient newcomer = await LineClient.ConnectAsync(port);
            Assert.StartsWith("Welcome to Marcel's chat room", await newcomer.ReadLineAsync(), StringComparison.Ordinal);
        }
        else
        {
            await AssertServedAsync(server, port);
        }

        Assert.False(server.HasExited, server.ToString());
        Assert.Single(server.Error.Split('\n'), l => l.Contains("Connection limit of", StringComparison.Ordinal));
        Assert.DoesNotContain("Out of memory", server.Error, StringComparison.Ordinal);
    }

    private static int Descriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>
    /// Waits for the server's descriptors (/proc/PID/fd) to fall to <paramref name="atMost"/> and stay there for three
    /// samples: another process's table announces nothing, and "settled" can only be seen over time.
    /// </summary>
    private static async Task WaitForDescriptorsAsync(int pid, int atMost)
    {
        using CancellationTokenSource bound = new(Timeouts.Step);
        int last = Descriptors(pid), stableFor = 0;
        while (true)
        {
            await Task.Delay(200, bound.Token);
            int now = Descriptors(pid);
            stableFor = now == last ? stableFor + 1 : 0;
            last = now;
            if (now <= atMost && stableFor >= 3)
            {
                return;
            }
        }
    }
}
