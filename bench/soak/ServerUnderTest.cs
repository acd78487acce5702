using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Marcel.Soak;

/// <summary>The chat server being soaked, as a child process: its port, and samples of its memory and descriptors.</summary>
internal sealed partial class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _outputLines;
    private long _managedKiB = -1;

    private ServerUnderTest(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public long OutputLines => Interlocked.Read(ref _outputLines);

    /// <summary>The managed heap as the chat's operator command <c>/stats</c> last reported it, in KiB; -1 when unknown.</summary>
    public long ManagedKiB => Interlocked.Read(ref _managedKiB);

    /// <summary>Asks marcel's chat console for <c>/stats</c>; the answer updates <see cref="ManagedKiB"/>.</summary>
    public void RequestStats()
    {
        try
        {
            _process.StandardInput.WriteLine("/stats");
            _process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // The server is gone: the next sample says so.
        }
    }

    /// <summary>marcel serve --chat, or ncat --chat (the anchor), on a loopback port.</summary>
    public static async Task<(ServerUnderTest Server, int Port)> StartAsync(SoakSettings settings)
    {
        ProcessStartInfo start;
        if (settings.Server == "ncat")
        {
            int port = FreePort();
            start = new ProcessStartInfo("ncat", ["--chat", "-l", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--max-conns", "10000"]);
            var ncat = new ServerUnderTest(Launch(start));
            ncat._port.TrySetResult(port);
            ncat.Pump();
            await Task.Delay(500);
            return (ncat, port);
        }

        start = new ProcessStartInfo("dotnet", [settings.Marcel, "serve", "--chat", "--host", "127.0.0.1", "--port", "0"]);
        var marcel = new ServerUnderTest(Launch(start));
        marcel.Pump();
        return (marcel, await marcel._port.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    public (long RssKiB, int Descriptors) Sample()
    {
        string status = File.ReadAllText($"/proc/{Pid}/status");
        long rss = long.Parse(RssLine().Match(status).Groups[1].Value, CultureInfo.InvariantCulture);
        return (rss, Directory.GetFileSystemEntries($"/proc/{Pid}/fd").Length);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private static Process Launch(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true; // Kept open: the operator's console stays quiet.
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["LANG"] = "C.UTF-8";
        return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
    }

    // The operator console echoes every message: it must be read, or the server would block on a full pipe.
    private void Pump()
    {
        _ = Task.Run(async () =>
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                Interlocked.Increment(ref _outputLines);
                if (ManagedLine().Match(line) is { Success: true } stats)
                {
                    Interlocked.Exchange(ref _managedKiB, long.Parse(stats.Groups[1].Value, CultureInfo.InvariantCulture));
                }

                if (!_port.Task.IsCompleted && ListeningLine().Match(line) is { Success: true } m)
                {
                    _port.TrySetResult(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                }
            }
        });
        _ = Task.Run(async () =>
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                await Console.Error.WriteLineAsync("server: " + line);
            }
        });
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"VmRSS:\s+(\d+)")]
    private static partial Regex RssLine();

    [GeneratedRegex(@"managed memory: (\d+) KiB")]
    private static partial Regex ManagedLine();

    [GeneratedRegex(@"127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningLine();
}
