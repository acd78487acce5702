using System.Security.Cryptography;
using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary>
/// curl's <c>-C</c> against a real nginx: a <c>Range: bytes=N-</c> request whose 206 is appended to the file, curl's exit
/// 33 when the server sends the whole body instead (<c>max_ranges 0</c>), and a 416 taken as "already whole".
/// </summary>
public sealed class FetchResumeTests(FetchPeers peers) : IClassFixture<FetchPeers>, IDisposable
{
    private const int Size = 300_000;
    private readonly string _directory = Directory.CreateTempSubdirectory("marcel-resume-").FullName;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(Size);

    private NginxServer Nginx => peers.Nginx;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_partial_file_is_continued_from_its_size_with_a_range_request()
    {
        string url = Nginx.Url(Nginx.Put($"/resume/{Guid.NewGuid():N}.bin", _content));
        string file = PartialFile(100_000);

        FetchRun run = await FetchProcess.RunAsync("-v", "-C", "-", "-o", file, url);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("> Range: bytes=100000-", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("< HTTP/1.1 206 Partial Content", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(_content, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public async Task A_server_without_byte_ranges_gives_curls_33_and_the_file_is_left_as_it_was()
    {
        string url = Nginx.Url(Nginx.Put($"/norange/{Guid.NewGuid():N}.bin", _content));
        string file = PartialFile(100_000);

        FetchRun run = await FetchProcess.RunAsync("-C", "-", "-o", file, url);

        Assert.Equal(33, run.ExitCode);
        Assert.Contains("marcel fetch: (33) HTTP server doesn't seem to support byte ranges. Cannot resume.", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(_content[..100_000], await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/resume/")]
    [InlineData("/norange/")]
    public async Task A_file_already_whole_is_left_alone_exit_0_and_the_user_is_told(string folder)
    {
        // nginx answers 416 to a range past the end; without ranges, a whole body of exactly the file's size.
        string url = Nginx.Url(Nginx.Put($"{folder}{Guid.NewGuid():N}.bin", _content));
        string file = PartialFile(Size);

        FetchRun run = await FetchProcess.RunAsync("-f", "-C", "-", "-o", file, url);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("nothing left to fetch", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(_content, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_explicit_offset_to_stdout_gets_the_rest_of_the_body()
    {
        string url = Nginx.Url(Nginx.Put($"/resume/{Guid.NewGuid():N}.txt", "0123456789"u8.ToArray()));

        FetchRun explicitOffset = await FetchProcess.RunAsync("-C", "6", url);
        FetchRun dash = await FetchProcess.RunAsync("-C", "-", url);

        Assert.Equal("6789", explicitOffset.Stdout);
        // To stdout there is no file to measure: "-C -" resumes nothing, as in curl.
        Assert.Equal("0123456789", dash.Stdout);
    }

    [Fact]
    public async Task A_download_cut_by_Ctrl_C_keeps_what_arrived_and_a_second_run_completes_it()
    {
        string name = $"{Guid.NewGuid():N}.bin";
        byte[] large = RandomNumberGenerator.GetBytes(4 * 1024 * 1024);
        Nginx.Put("/slow/" + name, large);
        Nginx.Put("/resume/" + name, large);
        string file = Path.Combine(_directory, name);
        // Already begun, so that even the first run is a resume (its 206 is what it waits for).
        await File.WriteAllBytesAsync(file, large[..1000], TestContext.Current.CancellationToken);

        // At 64 KiB/s (location /slow/) the transfer is surely running when the signal comes.
        await using (PeerProcess cut = MarcelCli.Start(["fetch", "-v", "-C", "-", "-o", file, Nginx.Url("/slow/" + name)], null))
        {
            await cut.WaitForErrorAsync("< HTTP/1.1 206 Partial Content");
            cut.Signal(2);
            Assert.Equal(130, await cut.WaitForExitAsync());
        }

        long kept = new FileInfo(file).Length;
        FetchRun resumed = await FetchProcess.RunAsync("-v", "-C", "-", "-o", file, Nginx.Url("/resume/" + name));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.InRange(kept, 1000, large.Length - 1);
        Assert.Contains($"> Range: bytes={kept}-", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(large), SHA256.HashData(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken)));
    }

    private string PartialFile(int length)
    {
        string file = Path.Combine(_directory, "partial.bin");
        File.WriteAllBytes(file, _content[..length]);
        return file;
    }
}
