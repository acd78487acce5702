using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary>A transfer cut in the middle, by the server dying (curl's exit 18) or by Ctrl-C (130): never a complete-looking file.</summary>
public sealed class FetchInterruptedTransferTests : IAsyncLifetime
{
    private NginxServer _nginx = null!;
    private string _directory = null!;

    public async ValueTask InitializeAsync()
    {
        _nginx = await NginxServer.StartAsync();
        // Served at 64 KiB/s (location /slow/), so the transfer is surely still running when it is cut.
        _nginx.Put("/slow/big.bin", new byte[8 * 1024 * 1024]);
        _directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
    }

    public async ValueTask DisposeAsync()
    {
        await _nginx.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_server_killed_mid_transfer_gives_18_and_leaves_no_file()
    {
        await using PeerProcess fetch = await StartTransferAsync("-o", Path.Combine(_directory, "big.bin"));

        _nginx.Kill();

        Assert.Equal(18, await fetch.WaitForExitAsync());
        Assert.Contains("(18)", fetch.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_server_killed_mid_transfer_into_a_pipe_gives_18()
    {
        await using PeerProcess fetch = await StartTransferAsync();

        _nginx.Kill();

        Assert.Equal(18, await fetch.WaitForExitAsync());
    }

    [Fact]
    public async Task Ctrl_C_mid_transfer_exits_130_and_leaves_no_file()
    {
        await using PeerProcess fetch = await StartTransferAsync("-o", Path.Combine(_directory, "big.bin"));

        fetch.Signal(2);

        Assert.Equal(130, await fetch.WaitForExitAsync());
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task After_Ctrl_C_on_a_terminal_the_bar_shows_what_was_received_not_the_total()
    {
        string file = Path.Combine(_directory, "big.bin");
        await using PeerProcess fetch = FetchProcess.StartOnTerminal(null, "-o", file, _nginx.Url("/slow/big.bin"));
        // The bar is drawn once the body starts: the download is running.
        await fetch.WaitForOutputAsync("big.bin ");

        await fetch.WriteAsync("\u0003");

        Assert.Equal(130, await fetch.WaitForExitAsync());
        string screen = fetch.Output;
        string last = screen[screen.LastIndexOf("big.bin ", StringComparison.Ordinal)..];
        // 8 MiB announced; at 64 KiB/s only a part came, and that part is what the last line says, with its time and speed.
        Assert.DoesNotContain("8.0 MiB", last, StringComparison.Ordinal);
        Assert.DoesNotContain("100%", last, StringComparison.Ordinal);
        Assert.Matches(@"[\d.]+ [KM]iB [\d.]+ [KM]iB/s on average in [\d.]+ s", last);
    }

    /// <summary>Starts the slow download and returns once its response head has arrived (-v shows it).</summary>
    private async Task<PeerProcess> StartTransferAsync(params string[] arguments)
    {
        PeerProcess fetch = MarcelCli.Start(["fetch", "-v", .. arguments, _nginx.Url("/slow/big.bin")], null);
        await fetch.WaitForErrorAsync("< HTTP/1.1 200 OK");
        return fetch;
    }
}
