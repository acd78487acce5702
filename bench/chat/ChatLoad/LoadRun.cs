using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ChatLoad;

/// <summary>N clients, K of them sending timestamped lines (paced, or unthrottled in batches); measures what arrives.</summary>
internal static class LoadRun
{
    private static int s_sendErrors;

    public static async Task<int> RunAsync(Options o)
    {
        var latencies = new Histogram();
        var connectClock = Stopwatch.StartNew();
        List<LoadClient> clients = await LoadClient.ConnectManyAsync(o.Ports, o.Clients, o.Senders, latencies);
        bool seated = await SettleAsync(clients);
        double seatSeconds = connectClock.Elapsed.TotalSeconds;
        int alive = clients.Count(c => !c.Closed);
        if (clients.Count < o.Senders || alive < o.Senders || !AllAlive(o))
        {
            Report(o, $"connected={clients.Count} alive={alive} seated={seated} seat_s={seatSeconds:F1} server_alive={AllAlive(o)} error=setup");
            return 0;
        }

        // Redis's CPU while nobody talks (the servers' presence heartbeats), so its cost per line said can be told apart.
        double redisIdle = o.RedisPid > 0 ? await RedisIdleCpuAsync(o.RedisPid) : double.NaN;
        var sent = new long[o.Senders];
        if (o.Warmup > 0)
        {
            await SendAsync(o with { Seconds = o.Warmup }, clients, sent);
            await DrainAsync(clients, o.Senders, Expected(clients, o.Senders, sent, new long[o.Senders]));
            latencies.Clear();
        }

        long[] sentBefore = (long[])sent.Clone();
        long deliveredBefore = Delivered(clients, o.Senders), corruptBefore = clients.Sum(c => c.Corrupt), disorderBefore = clients.Sum(c => c.OutOfOrder);
        double cpu0 = ServerCpu(o), redis0 = o.RedisPid > 0 ? ServerStats.PreciseCpuSeconds(o.RedisPid) : double.NaN;
        long t0 = Stopwatch.GetTimestamp();
        await SendAsync(o, clients, sent);
        await DrainAsync(clients, o.Senders, Expected(clients, o.Senders, sent, new long[o.Senders]));

        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        double cpu = ServerCpu(o) - cpu0;
        double redisCpu = o.RedisPid > 0 ? ServerStats.PreciseCpuSeconds(o.RedisPid) - redis0 : double.NaN;
        long said = sent.Sum() - sentBefore.Sum();
        long delivered = Delivered(clients, o.Senders) - deliveredBefore;
        long corrupt = clients.Sum(c => c.Corrupt) - corruptBefore;
        long expected = Expected(clients, o.Senders, sent, sentBefore);
        Report(o, string.Create(CultureInfo.InvariantCulture,
            $"connected={clients.Count} seated={seated} seat_s={seatSeconds:F1} sent={sent.Sum() - sentBefore.Sum()} delivered={delivered} expected={expected} " +
            $"loss={Math.Max(0, expected - delivered - corrupt)} corrupt={corrupt} out_of_order={clients.Sum(c => c.OutOfOrder) - disorderBefore} closed={clients.Count(c => c.Closed)} " +
            $"lines_per_s={delivered / elapsed:F0} p50_ms={latencies.PercentileMs(0.50):F2} p99_ms={latencies.PercentileMs(0.99):F2} " +
            $"cpu_ns_per_line={(delivered > 0 ? cpu * 1e9 / delivered : double.NaN):F1} cpu_ns_per_arrived={(delivered + corrupt > 0 ? cpu * 1e9 / (delivered + corrupt) : double.NaN):F1} " +
            $"redis_cpu_ns_per_said={(said > 0 ? redisCpu * 1e9 / said : double.NaN):F1} " +
            $"redis_idle_cpu_ms_per_s={redisIdle * 1e3:F2} servers={o.Ports.Length} " +
            $"send_errors={s_sendErrors} server_alive={AllAlive(o)}"));
        foreach (LoadClient c in clients) c.Dispose();
        return 0;
    }

    /// <summary>Redis's CPU seconds per second over two quiet seconds.</summary>
    private static async Task<double> RedisIdleCpuAsync(int pid)
    {
        double before = ServerStats.PreciseCpuSeconds(pid);
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(2));
        return (ServerStats.PreciseCpuSeconds(pid) - before) / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Waits until every client has heard something and the room has been quiet for half a second (join
    /// announcements done), or 3 quiet seconds pass with some clients still unheard (ncat greets nobody), or 60 s.
    /// </summary>
    private static async Task<bool> SettleAsync(List<LoadClient> clients)
    {
        var clock = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        long lines = LoadClient.AllLines;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
            if (LoadClient.AllLines != lines)
            {
                lines = LoadClient.AllLines;
                quiet.Restart();
            }

            bool all = clients.All(c => c.FirstLine.IsCompleted);
            if ((all && quiet.Elapsed > TimeSpan.FromMilliseconds(500)) || quiet.Elapsed > TimeSpan.FromSeconds(3)) return all;
        }

        return false;
    }

    private static Task SendAsync(Options o, List<LoadClient> clients, long[] sent) => o.Rate > 0
        ? PacedAsync(o, clients, sent)
        : Task.WhenAll(Enumerable.Range(0, o.Senders).Select(s => Task.Run(() => UnthrottledAsync(o, clients, sent, s))));

    /// <summary>Lines every receiver should have got from the senders since <paramref name="since"/> (a sender does not hear itself).</summary>
    private static long Expected(List<LoadClient> clients, int senders, long[] sent, long[] since) =>
        clients.Sum(r => Enumerable.Range(0, senders).Where(s => s != r.Index).Sum(s => sent[s] - since[s]));

    /// <summary>
    /// Waits until what was sent has arrived, intact or not: while lines keep arriving (a late line is not a lost one),
    /// until 5 s pass with none, or 60 s in all.
    /// </summary>
    private static async Task DrainAsync(List<LoadClient> clients, int senders, long expectedTotal)
    {
        var drain = Stopwatch.StartNew();
        var stalled = Stopwatch.StartNew();
        long arrived = Arrived(clients, senders);
        while (arrived < expectedTotal && stalled.Elapsed < TimeSpan.FromSeconds(5) && drain.Elapsed < TimeSpan.FromSeconds(60) && clients.Any(c => !c.Closed))
        {
            await Task.Delay(20);
            long now = Arrived(clients, senders);
            if (now != arrived)
            {
                arrived = now;
                stalled.Restart();
            }
        }
    }

    private static long Delivered(List<LoadClient> clients, int senders) =>
        clients.Sum(c => Enumerable.Range(0, senders).Sum(s => c.ReceivedFrom(s)));

    private static long Arrived(List<LoadClient> clients, int senders) =>
        clients.Sum(c => Enumerable.Range(0, senders).Sum(s => c.ArrivedFrom(s)));

    /// <summary>One pacer for all senders: line g is due at start + g/rate and carries that time, so a late send shows as latency.</summary>
    private static async Task PacedAsync(Options o, List<LoadClient> clients, long[] sent)
    {
        long start = Stopwatch.GetTimestamp();
        long total = (long)(o.Rate * o.Seconds);
        for (long g = 0; g < total;)
        {
            long due = Math.Min(total, (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * o.Rate) + 1);
            for (; g < due; g++)
            {
                int s = (int)(g % o.Senders);
                long stamp = start + (long)(g / o.Rate * Stopwatch.Frequency);
                if (await clients[s].SendAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"#L {s} {sent[s]} {stamp}\n"))))
                {
                    sent[s]++;
                }
                else
                {
                    Interlocked.Increment(ref s_sendErrors);
                }
            }

            await Task.Delay(1);
        }
    }

    /// <summary>As fast as the room delivers: batches of lines per write, at most <see cref="Options.Window"/> in flight per sender.</summary>
    private static async Task UnthrottledAsync(Options o, List<LoadClient> clients, long[] sent, int s)
    {
        var clock = Stopwatch.StartNew();
        var text = new StringBuilder();
        LoadClient[] receivers = clients.Where(c => c.Index != s && !c.Closed).ToArray();
        while (clock.Elapsed.TotalSeconds < o.Seconds)
        {
            long slowest = receivers.Where(r => !r.Closed).Select(r => r.ArrivedFrom(s)).DefaultIfEmpty(Volatile.Read(ref sent[s])).Min();
            if (Volatile.Read(ref sent[s]) - slowest + o.Batch > o.Window)
            {
                await Task.Delay(1);
                continue;
            }

            text.Clear();
            long stamp = Stopwatch.GetTimestamp();
            for (int i = 0; i < o.Batch; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"#L {s} {sent[s] + i} {stamp}\n");
            }

            if (!await clients[s].SendAsync(Encoding.ASCII.GetBytes(text.ToString())))
            {
                Interlocked.Increment(ref s_sendErrors);
                return;
            }

            Volatile.Write(ref sent[s], sent[s] + o.Batch);
        }
    }

    /// <summary>CPU seconds of every server of the room, summed.</summary>
    private static double ServerCpu(Options o) => o.ServerPids.Sum(ServerStats.CpuSeconds);

    private static bool AllAlive(Options o) => o.ServerPids.All(ServerStats.Alive);

    private static void Report(Options o, string fields) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT mode=load transport={(o.WebSocketPort > 0 ? "ws" : o.Udp ? "udp" : "tcp")} clients={o.Clients} senders={o.Senders} rate={o.Rate} batch={o.Batch} {fields}"));
}
