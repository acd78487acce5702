using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Marcel.Web.Tests;

/// <summary>
/// Ten thousand quiet browser members held by the real <c>marcel serve --chat --web</c>. What is measured is what a
/// leak or a fat member would show: the room's own counts and the server's managed heap after a full collection (its
/// <c>/stats</c>), not resident memory (which the GC sizes from the CPU cache; bench/chat measures the binary's RSS).
/// </summary>
public sealed partial class WebSocketIdleTests
{
    private const int Members = 10_000, Warm = 1_000;

    [Fact]
    public async Task Ten_thousand_idle_browser_members_are_held_within_a_bounded_managed_heap_each()
    {
        // Both ends are in this machine: the test process holds the clients' descriptors, the server its own.
        int limit = OpenFileLimit();
        Assert.True(limit > Members + 500, $"the open-file limit ({limit}) is too low to hold {Members} connections: raise `ulimit -n`");

        // --keepalive 600: no ping within the test, so clients that never read are not taken for vanished ones.
        (PeerProcess server, _, Uri page) = await WebServer.StartAsync(extra: ["--max-clients", (Members + 100).ToString(CultureInfo.InvariantCulture), "--keepalive", "600"]);
        await using (server)
        {
            var web = new IPEndPoint(IPAddress.Loopback, page.Port);
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            bound.CancelAfter(Timeouts.Process * 3);
            var clients = new List<RawWebSocket>(Members);
            await JoinAsync(web, clients, Warm, bound.Token);
            Stats warm = await StatsAsync(server, Warm);
            await JoinAsync(web, clients, Members - Warm, bound.Token);
            Stats full = await StatsAsync(server, Members);

            double perMember = (full.HeapKiB - warm.HeapKiB) * 1024.0 / (Members - Warm);
            TestContext.Current.TestOutputHelper?.WriteLine($"{warm}; {full}; {perMember:F0} B of managed heap per member");
            Assert.Equal(Members, full.Connections);
            // Measured here: ~5 KiB since the WebSocket leaves Kestrel once its 101 is sent and runs on the connection's
            // own stream (~13 KiB while Kestrel kept its HTTP/1.1 connection and request state, its socket transport's
            // pipes and the upgrade stream for the socket's life). The bound catches any of that coming back, and a member
            // that grows fat or leaks.
            Assert.True(perMember < 8 * 1024, $"{perMember:F0} B of managed heap per idle browser member: {warm}; {full}");

            foreach (RawWebSocket client in clients) client.Dispose();
        }
    }

    /// <summary>Connects <paramref name="count"/> clients, 100 at a time, each past its welcome; then they never read again.</summary>
    private static async Task JoinAsync(IPEndPoint web, List<RawWebSocket> clients, int count, CancellationToken cancellationToken)
    {
        for (int done = 0; done < count; done += 100)
        {
            clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(100, count - done)).Select(async _ =>
            {
                RawWebSocket client = await RawWebSocket.ConnectAsync(web, cancellationToken);
                Assert.NotNull(await client.ReadTextAsync(cancellationToken)); // The welcome.
                return client;
            })));
        }
    }

    /// <summary>
    /// The operator's <c>/stats</c>, asked again until <paramref name="members"/> are in the room (the last welcome is
    /// queued just before its member sits down). Each answer is awaited; none is waited for by the clock.
    /// </summary>
    private static async Task<Stats> StatsAsync(PeerProcess server, int members)
    {
        for (int asked = 1; ; asked++)
        {
            int before = StatsLine().Count(server.Output);
            await server.WriteLineAsync("/stats");
            await server.WaitForOutputAsync("managed memory", count: before + 1);
            Match last = StatsLine().Matches(server.Output)[^1];
            var stats = new Stats(
                int.Parse(last.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                int.Parse(last.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                long.Parse(last.Groups[3].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            if (stats.Members == members || asked == 50)
            {
                Assert.Equal(members, stats.Members);
                return stats;
            }
        }
    }

    private static int OpenFileLimit()
    {
        string line = File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        return int.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Connections open: ([\d,]+); in the room: ([\d,]+); managed memory: ([\d,]+) KiB")]
    private static partial Regex StatsLine();

    private readonly record struct Stats(int Connections, int Members, long HeapKiB)
    {
        public override string ToString() => $"{Connections} connections, {Members} members, heap {HeapKiB:N0} KiB";
    }
}
