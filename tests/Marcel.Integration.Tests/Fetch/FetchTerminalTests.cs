using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary><c>marcel fetch</c> on a pseudo-terminal: the chapter's head, then the body decoded for the screen.</summary>
public sealed class FetchTerminalTests(FetchPeers peers) : IClassFixture<FetchPeers>
{
    private NginxServer Nginx => peers.Nginx;

    [Fact]
    public async Task On_a_terminal_the_status_headers_blank_line_and_body_are_shown()
    {
        FetchRun run = await FetchProcess.RunOnTerminalAsync(Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        string screen = run.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal);
        // .NET may first switch the terminal's keypad mode (ESC [?1h ESC =), invisible on screen.
        Assert.Matches(@"^(\x1b\[\?1h\x1b=)?HTTP/1\.1 200 OK\n", screen);
        Assert.Contains("Content-Type: text/plain\n", screen, StringComparison.Ordinal);
        Assert.Contains("\n\nBonjour, le réseau !\n", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_latin1_page_comes_out_right_on_a_UTF8_terminal()
    {
        FetchRun run = await FetchProcess.RunOnTerminalAsync(Nginx.Url("/latin1/page.html"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("charset=iso-8859-1", run.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<p>Hélène à l'École, garçon</p>", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_windows1252_page_shows_its_euro_sign()
    {
        FetchRun run = await FetchProcess.RunOnTerminalAsync(Nginx.Url("/cp1252/page.html"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("<p>Prix : 10 €</p>", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_body_is_not_dumped_on_the_terminal_and_the_user_is_told_how_to_save_it()
    {
        FetchRun run = await FetchProcess.RunOnTerminalAsync(Nginx.Url("/image.png"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Content-Type: image/png", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Binary body", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("-o FILE", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PNG", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_dash_writes_the_raw_body_even_on_a_terminal()
    {
        FetchRun run = await FetchProcess.RunOnTerminalAsync("-o", "-", Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("HTTP/1.1", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Bonjour, le réseau !", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_output_on_a_terminal_a_progress_bar_is_drawn_and_the_file_is_whole()
    {
        string directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
        try
        {
            string file = Path.Combine(directory, "large.bin");

            FetchRun run = await FetchProcess.RunOnTerminalAsync("-o", file, Nginx.Url("/large.bin"));

            Assert.Equal(0, run.ExitCode);
            AssertFinalMeter(run.Stdout, "large.bin");
            Assert.Equal(FetchPeers.LargeSize, new FileInfo(file).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task With_stdout_redirected_the_progress_bar_is_on_the_terminal_and_the_file_gets_the_body_alone()
    {
        string directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
        try
        {
            string file = Path.Combine(directory, "large.bin");

            FetchRun run = await FetchProcess.RunOnTerminalToFileAsync(file, Nginx.Url("/large.bin"));

            Assert.Equal(0, run.ExitCode);
            AssertFinalMeter(run.Stdout, "stdout");
            Assert.Equal(peers.LargeHash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken))));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>curl's final meter: the whole size received (24 MiB), the total time and the average speed.</summary>
    private static void AssertFinalMeter(string screen, string name)
    {
        string last = screen[screen.LastIndexOf(name, StringComparison.Ordinal)..];
        Assert.Contains("100%", last, StringComparison.Ordinal);
        Assert.Matches(@"24\.0 MiB [\d.]+ [KMG]iB/s on average in [\d.]+ s", last);
    }
}
