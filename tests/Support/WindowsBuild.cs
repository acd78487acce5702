using System.Diagnostics;

namespace Marcel.Tests.Support;

/// <summary>
/// The win-x64 build of marcel, run under Wine against Linux peers. CI points <c>MARCEL_WIN_X64</c> at the
/// <c>marcel.exe</c> that <c>build/release.sh</c> made; otherwise it is published once per test run (about a minute).
/// Wine runs with its debug output off and a private prefix, created on first use. Without wine the tests skip,
/// except under CI=true, where <c>.ci/run</c> installs it and a skip is a failure.
/// </summary>
internal sealed class WindowsBuild
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static WindowsBuild? s_build;

    private WindowsBuild(string wine, string exe, string prefix)
    {
        Wine = wine;
        Exe = exe;
        Prefix = prefix;
    }

    public string Wine { get; }

    public string Exe { get; }

    public string Prefix { get; }

    /// <summary>The build and a Wine prefix that has run it once; skips (or fails under CI) without wine.</summary>
    public static async Task<WindowsBuild> GetAsync()
    {
        string wine = ExternalProgram.Require("wine");
        await Once.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (s_build is null)
            {
                string exe = Environment.GetEnvironmentVariable("MARCEL_WIN_X64") is { Length: > 0 } given && File.Exists(given)
                    ? given
                    : await PublishAsync();
                var build = new WindowsBuild(wine, exe, TestFolders.NewFolder("wineprefix-"));
                // The first run creates the prefix (~10 s, more on a loaded machine).
                await using PeerProcess first = build.Start("--version");
                Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromMinutes(4)));
                s_build = build;
            }

            return s_build;
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>Starts <c>wine marcel.exe ARGS</c> with stdin, stdout and stderr as pipes.</summary>
    public PeerProcess Start(params string[] arguments) => Start(arguments, null);

    public PeerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        Dictionary<string, string> variables = WineVariables();
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        return PeerProcess.Start(Wine, [Exe, .. arguments], variables);
    }

    /// <summary>
    /// Starts <c>wine marcel.exe ARGS</c> in a pseudo-terminal (util-linux <c>script</c>): Wine then gives it a real
    /// Windows console over that terminal, so marcel reads keys and writes through the console API as on Windows.
    /// </summary>
    public PeerProcess StartInTerminal(params string[] arguments)
    {
        string command = string.Join(' ', new[] { Wine, Exe }.Concat(arguments).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return PseudoTerminal.Start(command, WineVariables());
    }

    // Wine's debug output off, a private prefix, and no offer to install Mono or Gecko when the prefix is made.
    private Dictionary<string, string> WineVariables() =>
        new() { ["WINEDEBUG"] = "-all", ["WINEPREFIX"] = Prefix, ["WINEDLLOVERRIDES"] = "mscoree,mshtml=" };

    /// <summary>Text as the Windows build writes it, with its CRLF line ends made LF.</summary>
    public static string Lf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static async Task<string> PublishAsync()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Marcel.slnx")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root is not above the tests.");
        }

        string output = TestFolders.NewFolder("win-x64-");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "publish", "src/Marcel.Cli", "-c", "Release", "-r", "win-x64", "--self-contained", "-p:PublishAot=false",
                "-p:PublishSingleFile=true", "-p:DebugType=none", "-o", output,
            },
        };
        using Process publish = Process.Start(start)!;
        Task<string> log = publish.StandardOutput.ReadToEndAsync();
        _ = publish.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await publish.WaitForExitAsync(bound.Token);
        Assert.True(publish.ExitCode == 0, "dotnet publish -r win-x64 failed:\n" + await log);
        return Path.Combine(output, "marcel.exe");
    }
}
