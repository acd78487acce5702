using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary>A server that dies mid-transfer: curl's exit 18, and no file that looks complete.</summary>
public sealed class FetchInterruptedTransferTests
{
    [Fact]
    public async Task A_server_killed_mid_transfer_gives_18_and_leaves_no_file()
    {
        await using NginxServer nginx = await NginxServer.StartAsync();
        // Served at 64 KiB/s (location /slow/), so the transfer is surely still running when the server dies.
        nginx.Put("/slow/big.bin", new byte[8 * 1024 * 1024]);
        string directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
        try
        {
            string file = Path.Combine(directory, "big.bin");
            await using PeerProcess fetch = Support.Marcel.Start(["fetch", "-v", "-o", file, nginx.Url("/slow/big.bin")], null);
            await fetch.WaitForErrorAsync("< HTTP/1.1 200 OK");

            nginx.Kill();

            Assert.Equal(18, await fetch.WaitForExitAsync());
            Assert.Contains("(18)", fetch.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_killed_mid_transfer_into_a_pipe_gives_18()
    {
        await using NginxServer nginx = await NginxServer.StartAsync();
        nginx.Put("/slow/big.bin", new byte[8 * 1024 * 1024]);
        await using PeerProcess fetch = Support.Marcel.Start(["fetch", "-v", nginx.Url("/slow/big.bin")], null);
        await fetch.WaitForErrorAsync("< HTTP/1.1 200 OK");

        nginx.Kill();

        Assert.Equal(18, await fetch.WaitForExitAsync());
    }

    [Fact]
    public async Task Ctrl_C_mid_transfer_exits_130_and_leaves_no_file()
    {
        await using NginxServer nginx = await NginxServer.StartAsync();
        nginx.Put("/slow/big.bin", new byte[8 * 1024 * 1024]);
        string directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
        try
        {
            await using PeerProcess fetch = Support.Marcel.Start(["fetch", "-v", "-o", Path.Combine(directory, "big.bin"), nginx.Url("/slow/big.bin")], null);
            await fetch.WaitForErrorAsync("< HTTP/1.1 200 OK");

            fetch.Signal(2);

            Assert.Equal(130, await fetch.WaitForExitAsync());
            Assert.Empty(Directory.GetFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
