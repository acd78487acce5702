using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary><c>marcel fetch</c> over TLS to nginx (self-signed certificate), directly and by CONNECT through tinyproxy.</summary>
public sealed class FetchTlsTests(FetchPeers peers) : IClassFixture<FetchPeers>
{
    private NginxServer Nginx => peers.Nginx;

    private string ProxyWithCredentials => $"http://{TinyproxyServer.User}:{TinyproxyServer.Password}@{peers.Proxy.Address}";

    [Fact]
    public async Task An_untrusted_certificate_gives_60()
    {
        FetchRun run = await FetchProcess.RunAsync(Nginx.TlsUrl("/hello.txt"));

        Assert.Equal(60, run.ExitCode);
        Assert.Contains("-k", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_accepts_the_self_signed_certificate()
    {
        FetchRun run = await FetchProcess.RunAsync("-k", Nginx.TlsUrl("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Bonjour, le réseau !\n", run.Stdout);
    }

    [Fact]
    public async Task TLS_to_a_plain_HTTP_port_fails_the_handshake_with_35()
    {
        FetchRun run = await FetchProcess.RunAsync("-k", $"https://127.0.0.1:{Nginx.Port}/hello.txt");

        Assert.Equal(35, run.ExitCode);
    }

    [Fact]
    public async Task HTTPS_goes_through_the_proxy_by_CONNECT()
    {
        FetchRun run = await FetchProcess.RunAsync("-k", "-v", "-x", ProxyWithCredentials, Nginx.TlsUrl("/hello.txt"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Bonjour, le réseau !\n", run.Stdout);
        Assert.Contains($"Using proxy {peers.Proxy.Address}", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(TinyproxyServer.Password, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CONNECT_tunnel_the_proxy_refuses_gives_7()
    {
        FetchRun run = await FetchProcess.RunAsync("-k", "-x", peers.Proxy.Address, Nginx.TlsUrl("/hello.txt"));

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("407", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_https_proxy_variable_is_used_for_https_URLs()
    {
        FetchRun run = await FetchProcess.RunAsync(["-k", Nginx.TlsUrl("/hello.txt")], new Dictionary<string, string> { ["HTTPS_PROXY"] = peers.Proxy.Address });

        Assert.Equal(7, run.ExitCode);
        Assert.Contains("407", run.Stderr, StringComparison.Ordinal);
    }
}
