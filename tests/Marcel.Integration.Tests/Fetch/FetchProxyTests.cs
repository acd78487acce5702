using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary><c>marcel fetch</c> through a real tinyproxy with Basic auth, by option and by environment.</summary>
public sealed class FetchProxyTests(FetchPeers peers) : IClassFixture<FetchPeers>
{
    private const string Page = "Bonjour, le réseau !\n";

    private NginxServer Nginx => peers.Nginx;

    private string Proxy => peers.Proxy.Address;

    private static string Credentials => $"{TinyproxyServer.User}:{TinyproxyServer.Password}";

    private static string Base64Credentials => Convert.ToBase64String(Encoding.UTF8.GetBytes(Credentials));

    [Fact]
    public async Task With_the_right_credentials_the_page_comes_through_the_proxy()
    {
        FetchRun run = await FetchProcess.RunAsync("-x", Proxy, "-U", Credentials, Nginx.Url("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Page, run.Stdout);
    }

    [Fact]
    public async Task Without_credentials_the_407_is_shown_and_fail_gives_22()
    {
        FetchRun shown = await FetchProcess.RunAsync("-i", "-x", Proxy, Nginx.Url("/hello.txt"));
        FetchRun failing = await FetchProcess.RunAsync("-f", "-x", Proxy, Nginx.Url("/hello.txt"));

        Assert.Equal(0, shown.ExitCode);
        Assert.StartsWith("HTTP/1.0 407 Proxy Authentication Required", shown.Stdout, StringComparison.Ordinal);
        Assert.Equal(22, failing.ExitCode);
        Assert.Contains("407", failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_wrong_credentials_tinyproxy_s_401_is_shown_and_fail_gives_22()
    {
        FetchRun shown = await FetchProcess.RunAsync("-i", "-x", Proxy, "-U", "alice:wrong-password", Nginx.Url("/hello.txt"));
        FetchRun failing = await FetchProcess.RunAsync("-f", "-x", Proxy, "-U", "alice:wrong-password", Nginx.Url("/hello.txt"));

        Assert.StartsWith("HTTP/1.0 401", shown.Stdout, StringComparison.Ordinal);
        Assert.Equal(22, failing.ExitCode);
        Assert.DoesNotContain("wrong-password", shown.Stdout + shown.Stderr + failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_shows_both_heads_with_the_proxy_credentials_masked()
    {
        FetchRun run = await FetchProcess.RunAsync("-v", "-x", Proxy, "-U", Credentials, "-H", "Authorization: Bearer top-secret-token", Nginx.Url("/echo"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"> GET {Nginx.Url("/echo")} HTTP/1.1", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("> Proxy-Authorization: Basic *****", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("> Authorization: Bearer *****", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("< HTTP/1.1 200 OK", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(TinyproxyServer.Password, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64Credentials, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-token", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_http_proxy_variable_is_honoured_with_credentials_in_its_URL()
    {
        var environment = new Dictionary<string, string> { ["http_proxy"] = $"http://{Credentials}@{Proxy}" };

        FetchRun run = await FetchProcess.RunAsync(["-v", Nginx.Url("/hello.txt")], environment);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Page, run.Stdout);
        Assert.Contains($"Using proxy {Proxy} (from http_proxy)", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(TinyproxyServer.Password, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_from_the_environment_is_really_used()
    {
        // Without credentials the proxy answers 407: proof that the request went through it.
        FetchRun viaAll = await FetchProcess.RunAsync(["-i", Nginx.Url("/hello.txt")], new Dictionary<string, string> { ["all_proxy"] = Proxy });
        FetchRun viaHttp = await FetchProcess.RunAsync(["-i", Nginx.Url("/hello.txt")], new Dictionary<string, string> { ["http_proxy"] = Proxy });

        Assert.StartsWith("HTTP/1.0 407", viaAll.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.0 407", viaHttp.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upper_case_HTTP_PROXY_is_ignored_for_http_as_curl_does()
    {
        FetchRun run = await FetchProcess.RunAsync([Nginx.Url("/hello.txt")], new Dictionary<string, string> { ["HTTP_PROXY"] = Proxy });

        Assert.Equal(Page, run.Stdout);
    }

    [Fact]
    public async Task No_proxy_and_noproxy_send_the_request_directly()
    {
        var environment = new Dictionary<string, string> { ["http_proxy"] = Proxy, ["no_proxy"] = "localhost,127.0.0.1" };

        FetchRun byVariable = await FetchProcess.RunAsync([Nginx.Url("/hello.txt")], environment);
        FetchRun byOption = await FetchProcess.RunAsync(["--noproxy", "127.0.0.0/8", "-x", Proxy, Nginx.Url("/hello.txt")], null);
        FetchRun byEmptyProxy = await FetchProcess.RunAsync(["-x", "", Nginx.Url("/hello.txt")], new Dictionary<string, string> { ["http_proxy"] = Proxy });

        Assert.Equal(Page, byVariable.Stdout);
        Assert.Equal(Page, byOption.Stdout);
        Assert.Equal(Page, byEmptyProxy.Stdout);
    }

    [Fact]
    public async Task The_proxy_option_beats_the_environment()
    {
        using Socket holder = Loopback.ClosedPort(out int closed);
        var environment = new Dictionary<string, string> { ["http_proxy"] = $"127.0.0.1:{closed}" };

        FetchRun run = await FetchProcess.RunAsync(["-x", Proxy, "-U", Credentials, Nginx.Url("/hello.txt")], environment);

        Assert.Equal(Page, run.Stdout);
    }

    [Fact]
    public async Task A_proxy_name_that_does_not_resolve_gives_5()
    {
        FetchRun run = await FetchProcess.RunAsync("-x", "no-such-proxy.invalid:3128", Nginx.Url("/hello.txt"));

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("no-such-proxy.invalid", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proxy_that_does_not_listen_gives_7()
    {
        using Socket holder = Loopback.ClosedPort(out int closed);

        FetchRun run = await FetchProcess.RunAsync("-x", $"127.0.0.1:{closed}", Nginx.Url("/hello.txt"));

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("proxy", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_proxy_password_comes_from_MARCEL_PROXY_PASSWORD()
    {
        var environment = new Dictionary<string, string> { ["MARCEL_PROXY_PASSWORD"] = TinyproxyServer.Password };

        FetchRun run = await FetchProcess.RunAsync(["-x", Proxy, "-U", TinyproxyServer.User, Nginx.Url("/hello.txt")], environment);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Page, run.Stdout);
    }

    [Fact]
    public async Task The_proxy_password_is_asked_on_the_terminal_without_echo()
    {
        await using PeerProcess fetch = FetchProcess.StartOnTerminal(null, "-x", Proxy, "-U", TinyproxyServer.User, Nginx.Url("/hello.txt"));
        await fetch.WaitForOutputAsync("Proxy password for user 'alice': ");

        await fetch.WriteAsync(TinyproxyServer.Password + "\r");

        Assert.Equal(0, await fetch.WaitForExitAsync());
        Assert.Contains("HTTP/1.1 200 OK", fetch.Output, StringComparison.Ordinal);
        Assert.Contains("Bonjour, le réseau !", fetch.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TinyproxyServer.Password, fetch.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_terminal_or_variable_a_missing_password_is_an_error()
    {
        FetchRun run = await FetchProcess.RunAsync("-x", Proxy, "-U", TinyproxyServer.User, Nginx.Url("/hello.txt"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("MARCEL_PROXY_PASSWORD", run.Stderr, StringComparison.Ordinal);
    }
}
