using System.Globalization;

namespace ChatLoad;

/// <summary>The server's CPU time and resident memory, read from /proc.</summary>
internal static class ServerStats
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux.

    /// <summary>User + system CPU seconds used so far; NaN once the process is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name "(...)": state is field 3, utime 14, stime 15.
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>
    /// CPU seconds of the process's live threads, in nanoseconds from /proc/PID/task/*/schedstat: precise where the
    /// clock ticks of <see cref="CpuSeconds"/> (10 ms) are too coarse (redis-server, a few µs per line). Threads that
    /// ended are not counted, so only for a process whose threads live as long as it does (Redis's do).
    /// </summary>
    public static double PreciseCpuSeconds(int pid)
    {
        try
        {
            long ns = 0;
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                ns += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture);
            }

            return ns / 1e9;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>VmRSS in KiB; -1 once the process is gone.</summary>
    public static long RssKiB(int pid)
    {
        try
        {
            string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    public static bool Alive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal);
}
