using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marcel.Tests.Support;
using static Marcel.Tests.Hostile.HostileServeTests;

namespace Marcel.Tests.Hostile;

/// <summary>Connections by the thousand and a process short of file descriptors: the server bends, refuses politely, recovers.</summary>
public class ResourceExhaustionTests
{
    [Fact]
    public async Task Ten_thousand_connect_disconnect_cycles_leave_descriptors_and_memory_at_their_baseline()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync("--keep-open");
        await using (server)
        {
            await CycleAsync(port, 300); // Warm-up: JIT, pools, thread pool.
            await WaitForDescriptorsAsync(server.Id, atMost: int.MaxValue);
            int baseDescriptors = Descriptors(server.Id);
            long baseMemory = ResidentMegabytes(server.Id);

            var clock = Stopwatch.StartNew();
            await CycleAsync(port, 10_000);
            TimeSpan took = clock.Elapsed;

            // Clients are served in order of arrival: once a newcomer is served, every one of the 10,300 was.
            await AssertServedAsync(server, port);
            int served = server.Output.Split('\n').Count(l => l.StartsWith("Client connected", StringComparison.Ordinal));
            Assert.True(served >= 10_301, $"{served} conversations");

            // Every socket the server accepted is closed again: back to the idle count (a little slack for the runtime).
            await WaitForDescriptorsAsync(server.Id, atMost: baseDescriptors + 4);
            long memory = ResidentMegabytes(server.Id);
            TestContext.Current.SendDiagnosticMessage($"10,000 cycles in {took}; descriptors {baseDescriptors} -> {Descriptors(server.Id)}; VmRSS {baseMemory} -> {memory} MiB");
            Assert.True(memory < baseMemory + 60, $"VmRSS {baseMemory} MiB -> {memory} MiB after 10,000 cycles in {took}");
            Assert.DoesNotContain("Unhandled", server.Error, StringComparison.Ordinal);
        }
    }

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

    /// <summary>Opens <paramref name="count"/> connections, four at a time, each closed once greeted; every other one is reset rather than closed.</summary>
    private static async Task CycleAsync(int port, int count)
    {
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            byte[] greeting = new byte[128];
            while (Interlocked.Increment(ref next) < count)
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
                // Wait for the greeting: the dialogue serves one at a time, so racing ahead would only fill its queue
                // until the connection limit says "busy" (tested below).
                await socket.ReceiveAsync(greeting, SocketFlags.None, Timeouts.StepToken());
                if (next % 2 == 0)
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
            }
        }));
    }

    private static int Descriptors(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

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
