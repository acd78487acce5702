using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary><c>marcel fetch</c> against a real nginx on loopback, no proxy.</summary>
public sealed class FetchDirectTests(FetchPeers peers) : IClassFixture<FetchPeers>
{
    private NginxServer Nginx => peers.Nginx;

    [Fact]
    public async Task Into_a_pipe_the_body_comes_alone_byte_for_byte()
    {
        FetchRun run = await FetchProcess.RunAsync(Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Bonjour, le réseau !\n", run.Stdout);
    }

    [Fact]
    public async Task With_include_the_head_comes_before_the_body()
    {
        FetchRun run = await FetchProcess.RunAsync("-i", Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain\r\n", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nBonjour, le réseau !\n", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_shows_the_head_only()
    {
        FetchRun run = await FetchProcess.RunAsync("-I", Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 22\r\n", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Bonjour", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chapter_s_Accept_values_and_a_user_agent_are_sent_and_headers_replace_them()
    {
        FetchRun plain = await FetchProcess.RunAsync(Nginx.Url("/echo"));
        FetchRun custom = await FetchProcess.RunAsync("-A", "Chapitre/1.0", "-H", "Accept: application/json", "-H", "X-Marcel: oui", Nginx.Url("/echo"));

        Assert.Contains("accept=text/html, text/plain\n", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("ua=marcel/", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("ua=Chapitre/1.0\naccept=application/json\nx=oui\n", custom.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_in_the_URL_become_Basic_authorization_and_are_never_shown()
    {
        string url = Nginx.Url("/echo").Replace("http://", "http://bob:pa%3Ass-word@", StringComparison.Ordinal);

        FetchRun run = await FetchProcess.RunAsync("-v", url);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("auth=Basic " + Convert.ToBase64String("bob:pa:ss-word"u8.ToArray()), run.Stdout, StringComparison.Ordinal);
        Assert.Contains("> Authorization: Basic *****", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pa:ss-word", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pa%3Ass-word", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_large_file_arrives_intact_with_output_and_with_stdout_redirected()
    {
        string directory = Directory.CreateTempSubdirectory("marcel-fetch-").FullName;
        try
        {
            string viaOutput = Path.Combine(directory, "large-o.bin");
            string viaRedirect = Path.Combine(directory, "large-redirect.bin");

            FetchRun output = await FetchProcess.RunAsync("-o", viaOutput, Nginx.Url("/large.bin"));
            FetchRun redirect = await FetchProcess.RunToFileAsync(viaRedirect, Nginx.Url("/large.bin"));

            Assert.Equal(0, output.ExitCode);
            Assert.Equal(0, redirect.ExitCode);
            Assert.Equal(peers.LargeHash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(viaOutput))));
            Assert.Equal(peers.LargeHash, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(viaRedirect))));
            Assert.Equal(["large-o.bin", "large-redirect.bin"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_404_is_printed_and_exits_0_but_with_fail_it_exits_22_without_body()
    {
        FetchRun plain = await FetchProcess.RunAsync(Nginx.Url("/missing"));
        FetchRun failing = await FetchProcess.RunAsync("-f", Nginx.Url("/missing"));

        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("404 Not Found", plain.Stdout, StringComparison.Ordinal);
        Assert.Equal(22, failing.ExitCode);
        Assert.Equal(string.Empty, failing.Stdout);
        Assert.Contains("(22)", failing.Stderr, StringComparison.Ordinal);
        Assert.Contains("404", failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redirects_are_shown_without_location_and_followed_with_it()
    {
        FetchRun shown = await FetchProcess.RunAsync("-i", Nginx.Url("/chain"));
        FetchRun followed = await FetchProcess.RunAsync("-L", Nginx.Url("/chain"));

        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith("HTTP/1.1 301 Moved Permanently", shown.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, followed.ExitCode);
        Assert.Equal("Bonjour, le réseau !\n", followed.Stdout);
    }

    [Fact]
    public async Task A_redirect_loop_ends_with_47_after_max_redirs()
    {
        FetchRun run = await FetchProcess.RunAsync("-L", "--max-redirs", "5", "-v", Nginx.Url("/loop"));

        Assert.Equal(47, run.ExitCode);
        Assert.Contains("Maximum (5) redirects followed", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, run.Stderr.Split("< HTTP/1.1 302").Length - 1);
    }

    [Fact]
    public async Task A_too_short_chain_of_redirects_also_ends_with_47()
    {
        FetchRun run = await FetchProcess.RunAsync("-L", "--max-redirs", "1", Nginx.Url("/chain"));

        Assert.Equal(47, run.ExitCode);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_28()
    {
        // Listening but never accepting: the kernel completes the handshake, no byte ever comes back.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(8);
        int port = ((IPEndPoint)silent.LocalEndPoint!).Port;

        FetchRun run = await FetchProcess.RunAsync("-m", "1", $"http://127.0.0.1:{port}/");

        Assert.Equal(28, run.ExitCode);
        Assert.Contains("timed out", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_port_gives_7()
    {
        using Socket holder = Loopback.ClosedPort(out int port);

        FetchRun run = await FetchProcess.RunAsync($"http://127.0.0.1:{port}/");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task In_french_a_refused_connection_is_told_in_french()
    {
        using Socket holder = Loopback.ClosedPort(out int port);

        FetchRun run = await FetchProcess.RunInFrenchAsync($"http://127.0.0.1:{port}/");

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("connexion refusée", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("refused", run.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(run.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unresolvable_name_gives_6()
    {
        FetchRun run = await FetchProcess.RunAsync("http://no-such-host.invalid/");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("no-such-host.invalid", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_file_that_cannot_be_created_gives_23()
    {
        FetchRun run = await FetchProcess.RunAsync("-o", "/nonexistent-dir/file.txt", Nginx.Url("/hello.txt"));

        Assert.Equal(23, run.ExitCode);
    }

    [Fact]
    public async Task Silent_hides_the_error_message_but_not_the_exit_code()
    {
        using Socket holder = Loopback.ClosedPort(out int port);

        FetchRun silent = await FetchProcess.RunAsync("-s", $"http://127.0.0.1:{port}/");
        FetchRun shown = await FetchProcess.RunAsync("-sS", $"http://127.0.0.1:{port}/");

        Assert.Equal(7, silent.ExitCode);
        Assert.Equal(string.Empty, silent.Stderr);
        Assert.Contains("(7)", shown.Stderr, StringComparison.Ordinal);
    }
}
