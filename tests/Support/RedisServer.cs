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

    /// <summary>
    /// SIGSTOP: Redis keeps its connections open and its port listening, and answers nothing (a hung Redis, or one
    /// swapped out); <see cref="ResumeAsync"/> lets it go on. Returns once the kernel shows the process stopped.
    /// </summary>
    public Task PauseAsync() => SignalAndWaitAsync(19, stopped: true);

    /// <summary>SIGCONT: a paused Redis answers again (what it was sent meanwhile included).</summary>
    public Task ResumeAsync() => SignalAndWaitAsync(18, stopped: false);

    public override string ToString() => _process?.ToString() ?? "redis-server (not started)";

    private async Task SignalAndWaitAsync(int signal, bool stopped)
    {
        PeerProcess process = _process is { HasExited: false } running ? running : throw new InvalidOperationException("redis-server is not running");
        process.Signal(signal);
        // The state letter of /proc/PID/stat (after the command's closing parenthesis): 'T' while stopped. The kernel
        // offers no event to await for it, so it is read until it says so, within a bound.
        string stat = $"/proc/{process.Id}/stat";
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(Timeouts.Step);
        while (State(File.ReadAllText(stat)) == 'T' != stopped)
        {
            await Task.Delay(10, bound.Token);
        }
    }

    private static char State(string stat) => stat[stat.LastIndexOf(')') + 2];

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
