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

    /// <summary>Starts the slow download and returns once its response head has arrived (-v shows it).</summary>
    private async Task<PeerProcess> StartTransferAsync(params string[] arguments)
    {
        PeerProcess fetch = MarcelCli.Start(["fetch", "-v", .. arguments, _nginx.Url("/slow/big.bin")], null);
        await fetch.WaitForErrorAsync("< HTTP/1.1 200 OK");
        return fetch;
    }
}
