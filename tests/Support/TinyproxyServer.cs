namespace Marcel.Tests.Support;

/// <summary>
/// Debian's tinyproxy in the foreground on 127.0.0.1 with a generated config, a free port and <c>BasicAuth</c> on.
/// It answers missing credentials with 407 and wrong ones with 401 (tinyproxy 1.11). Stopped on dispose.
/// </summary>
internal sealed class TinyproxyServer : IAsyncDisposable
{
    public const string User = "alice";
    public const string Password = "s3cret-Pa55";

    private readonly DirectoryInfo _directory;
    private readonly PeerProcess _process;

    private TinyproxyServer(DirectoryInfo directory, PeerProcess process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<TinyproxyServer> StartAsync()
    {
        string tinyproxy = ExternalProgram.Require("tinyproxy");
        DirectoryInfo directory = Directory.CreateTempSubdirectory("marcel-tinyproxy-");
        int port = Loopback.FreePort();
        string config = Path.Combine(directory.FullName, "tinyproxy.conf");
        // No ConnectPort line: CONNECT is allowed to any port (the TLS nginx listens on a free one).
        await File.WriteAllTextAsync(config, $"""
            Port {port}
            Listen 127.0.0.1
            Timeout 60
            Allow 127.0.0.1
            BasicAuth {User} {Password}
            LogLevel Error
            MaxClients 64
            """);
        PeerProcess process = PeerProcess.Start(tinyproxy, ["-d", "-c", config]);
        await Listening.WaitAsync(port, process);
        return new TinyproxyServer(directory, process, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }
}
