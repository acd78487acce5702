using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ChatLoad;

/// <summary>Two steady clients, and N others that all leave and N new that all join at once, round after round.</summary>
internal static class ChurnRun
{
    public static async Task<int> RunAsync(Options o)
    {
        List<LoadClient> steady = await LoadClient.ConnectManyAsync(o.Port, 2, 1, latencies: null);
        List<LoadClient> crowd = await LoadClient.ConnectManyAsync(o.Port, o.Clients, 1, latencies: null, firstIndex: 2);
        int roundsOk = 0;
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < o.Rounds && ServerStats.Alive(o.ServerPid); round++)
        {
            foreach (LoadClient c in crowd) c.Dispose();
            crowd = await LoadClient.ConnectManyAsync(o.Port, o.Clients, 1, latencies: null, firstIndex: 2);
            if (await ProbeAsync(steady, round)) roundsOk++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT mode=churn clients={o.Clients} rounds={o.Rounds} rounds_ok={roundsOk} seconds={clock.Elapsed.TotalSeconds:F1} " +
            $"last_crowd_connected={crowd.Count} server_alive={ServerStats.Alive(o.ServerPid)}"));
        foreach (LoadClient c in crowd.Concat(steady)) c.Dispose();
        return 0;
    }

    /// <summary>A line from the first steady client reaches the second within 5 s.</summary>
    private static async Task<bool> ProbeAsync(List<LoadClient> steady, int round)
    {
        if (steady.Any(c => c.Closed)) return false;
        long before = steady[1].ReceivedFrom(0);
        if (!await steady[0].SendAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"#L 0 {round} {Stopwatch.GetTimestamp()}\n"))))
        {
            return false;
        }

        var wait = Stopwatch.StartNew();
        while (steady[1].ReceivedFrom(0) == before && wait.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(5);
        return steady[1].ReceivedFrom(0) > before;
    }
}
