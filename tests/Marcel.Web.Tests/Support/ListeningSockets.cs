using System.Globalization;

namespace Marcel.Web.Tests.Support;

/// <summary>
/// The TCP ports a process listens on, read as the kernel shows them: the process's socket inodes (<c>/proc/PID/fd</c>)
/// matched against the listening sockets of its network namespace (<c>/proc/PID/net/tcp</c> and <c>tcp6</c>). What
/// <c>ss -ltnp</c> prints, without parsing its output.
/// </summary>
internal static class ListeningSockets
{
    private const string Listen = "0A"; // TCP_LISTEN in include/net/tcp_states.h, as /proc/net/tcp prints it.

    public static IReadOnlySet<int> TcpPorts(int pid)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                // "socket:[12345]" for a socket; anything else (files, pipes) is not one.
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // Closed between the listing and the read: not a listener we are looking for.
            }
        }

        var ports = new HashSet<int>();
        foreach (string table in new[] { "tcp", "tcp6" })
        {
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...", a header first.
            foreach (string line in File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == Listen && inodes.Contains(fields[9]))
                {
                    ports.Add(int.Parse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                }
            }
        }

        return ports;
    }
}
