using System.Globalization;

namespace ChatLoad;

/// <summary>N clients that connect and then say nothing: how many the server holds, and its memory per connection.</summary>
internal static class IdleRun
{
    public static async Task<int> RunAsync(Options o)
    {
        await Task.Delay(500);
        long before = ServerStats.RssKiB(o.ServerPid);
        List<LoadClient> clients = await LoadClient.ConnectManyAsync(o.Port, o.Clients, 1, latencies: null);
        await Task.WhenAll(clients.Select(c => c.FirstLine)).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
        await Task.Delay(2000); // Join notices go out and settle.
        long after = ServerStats.RssKiB(o.ServerPid);
        int held = clients.Count(c => !c.Closed && c.Lines > 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT mode=idle clients={o.Clients} connected={clients.Count} held={held} rss_before_kib={before} rss_after_kib={after} " +
            $"bytes_per_conn={(held > 0 ? (after - before) * 1024.0 / held : double.NaN):F0} server_alive={ServerStats.Alive(o.ServerPid)}"));
        await Task.Delay(TimeSpan.FromSeconds(o.Hold));
        foreach (LoadClient c in clients) c.Dispose();
        return 0;
    }
}
