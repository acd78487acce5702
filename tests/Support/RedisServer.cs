namespace Marcel.Tests.Support;

/// <summary>
/// Debian's redis-server in the foreground on 127.0.0.1 and a free port, nothing saved to disk
/// (<c>--save '' --appendonly no</c>). Killable with SIGKILL and restartable on the same port, to play Redis going away
/// and coming back. Skips the test when redis-server is missing (fails under CI=true). Stopped on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string? _password;
    private readonly (string Cert, string Key)? _tls;
    private PeerProcess? _process;

    private RedisServer(int port, string? password, (string Cert, string Key)? tls)
    {
        Port = port;
        _password = password;
        _tls = tls;
    }

    public int Port { get; }

    /// <summary>The URL marcel's <c>--redis</c> takes.</summary>
    public string Url => _tls is null ? $"redis://127.0.0.1:{Port}" : $"rediss://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// Starts a fresh redis-server; with <paramref name="password"/> it asks for it (<c>--requirepass</c>); with
    /// <paramref name="tls"/> (PEM certificate and key) it speaks TLS only on <see cref="Port"/> (Debian's build has TLS).
    /// </summary>
    public static async Task<RedisServer> StartAsync(string? password = null, (string Cert, string Key)? tls = null)
    {
        ExternalProgram.Require("redis-server");
        for (int attempt = 1; ; attempt++)
        {
            // redis-server cannot pick a port itself (port 0 means "no TCP"): take one that was free a moment ago,
            // and try another if someone took it meanwhile.
            var server = new RedisServer(Loopback.FreePort(), password, tls);
            try
            {
                await server.RestartAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Starts redis-server again on the same port, empty (as a restarted Redis without persistence is).</summary>
    public async Task RestartAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        string port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> arguments = _tls is { } tls
            ? ["--port", "0", "--tls-port", port, "--tls-cert-file", tls.Cert, "--tls-key-file", tls.Key, "--tls-auth-clients", "no"]
            : ["--port", port];
        arguments.AddRange(["--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"]);
        if (_password is not null)
        {
            arguments.AddRange(["--requirepass", _password]);
        }

        _process = PeerProcess.Start(ExternalProgram.Require("redis-server"), arguments, workingDirectory: TestFolders.NewFolder("redis-"));
        await _process.WaitForOutputAsync("Ready to accept connections");
    }

    /// <summary>SIGKILL: Redis vanishes without a word, as a crash or a pulled cable would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Signal(9);
            await process.WaitForExitAsync(Timeouts.Step);
        }
    }

    public override string ToString() => _process?.ToString() ?? "redis-server (not started)";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
