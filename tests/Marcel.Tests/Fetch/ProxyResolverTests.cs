using System.Net;
using Marcel.Core.Fetch;

namespace Marcel.Tests.Fetch;

/// <summary>curl's proxy precedence: no-proxy list, then --proxy, then scheme_proxy, then all_proxy.</summary>
public sealed class ProxyResolverTests
{
    private static readonly Uri Http = new("http://example.test/page");
    private static readonly Uri Https = new("https://example.test/page");

    private static FetchOptions Options(Dictionary<string, string> environment, string? proxy = null, string? noProxy = null) => new()
    {
        Url = Http,
        Proxy = proxy,
        NoProxy = noProxy,
        Environment = name => environment.GetValueOrDefault(name),
    };

    [Fact]
    public void Without_settings_the_request_goes_directly()
    {
        Assert.Null(ProxyResolver.Resolve(Http, Options([])));
    }

    [Fact]
    public void The_proxy_option_beats_every_variable()
    {
        ProxyRoute? route = ProxyResolver.Resolve(Http, Options(new() { ["http_proxy"] = "env:1", ["all_proxy"] = "all:2" }, proxy: "option:3128"));

        Assert.Equal(new Uri("http://option:3128"), route!.Address);
        Assert.Equal("--proxy", route.Source);
    }

    [Fact]
    public void An_empty_proxy_option_means_no_proxy_even_with_variables()
    {
        Assert.Null(ProxyResolver.Resolve(Http, Options(new() { ["http_proxy"] = "env:1" }, proxy: "")));
    }

    [Fact]
    public void The_scheme_s_own_variable_beats_all_proxy()
    {
        var environment = new Dictionary<string, string> { ["http_proxy"] = "plain:1", ["https_proxy"] = "secure:2", ["all_proxy"] = "all:3" };

        Assert.Equal("plain", ProxyResolver.Resolve(Http, Options(environment))!.Address.Host);
        Assert.Equal("secure", ProxyResolver.Resolve(Https, Options(environment))!.Address.Host);
        Assert.Equal("all", ProxyResolver.Resolve(Http, Options(new() { ["all_proxy"] = "all:3" }))!.Address.Host);
        Assert.Equal("all", ProxyResolver.Resolve(Http, Options(new() { ["ALL_PROXY"] = "all:3" }))!.Address.Host);
    }

    [Fact]
    public void Upper_case_HTTP_PROXY_is_ignored_but_HTTPS_PROXY_is_not()
    {
        var environment = new Dictionary<string, string> { ["HTTP_PROXY"] = "cgi:1", ["HTTPS_PROXY"] = "secure:2" };

        Assert.Null(ProxyResolver.Resolve(Http, Options(environment)));
        Assert.Equal("secure", ProxyResolver.Resolve(Https, Options(environment))!.Address.Host);
    }

    [Fact]
    public void No_proxy_applies_to_the_option_too_and_noproxy_replaces_it()
    {
        Assert.Null(ProxyResolver.Resolve(Http, Options(new() { ["no_proxy"] = "example.test" }, proxy: "option:1")));
        Assert.Null(ProxyResolver.Resolve(Http, Options(new() { ["NO_PROXY"] = ".test" }, proxy: "option:1")));
        Assert.NotNull(ProxyResolver.Resolve(Http, Options(new() { ["no_proxy"] = "example.test" }, proxy: "option:1", noProxy: "other.test")));
        Assert.Null(ProxyResolver.Resolve(Http, Options([], proxy: "option:1", noProxy: "*")));
    }

    [Fact]
    public void A_proxy_without_port_uses_1080_and_without_scheme_http()
    {
        Assert.Equal(new Uri("http://proxy:1080"), ProxyResolver.Parse("proxy", "--proxy").Address);
        Assert.Equal(new Uri("http://proxy:1080"), ProxyResolver.Parse("http://proxy/", "--proxy").Address);
        Assert.Equal(new Uri("http://proxy:80"), ProxyResolver.Parse("http://proxy:80", "--proxy").Address);
        Assert.Equal(new Uri("http://[::1]:3128"), ProxyResolver.Parse("[::1]:3128", "--proxy").Address);
        Assert.Equal(new Uri("socks5://proxy:1080"), ProxyResolver.Parse("socks5h://proxy", "--proxy").Address);
    }

    [Fact]
    public void Credentials_in_the_proxy_URL_are_taken_out_of_the_address_and_the_option_beats_them()
    {
        ProxyRoute inUrl = ProxyResolver.Parse("http://al%40ice:p%3Ass@proxy:3128", "http_proxy");
        ProxyRoute? overridden = ProxyResolver.Resolve(Http, Options([], proxy: "http://a:b@proxy:3128") with { ProxyCredentials = new NetworkCredential("c", "d") });

        Assert.Equal(new Uri("http://proxy:3128"), inUrl.Address);
        Assert.Equal("al@ice", inUrl.Credentials!.UserName);
        Assert.Equal("p:ss", inUrl.Credentials.Password);
        Assert.Equal("c", overridden!.Credentials!.UserName);
    }

    [Fact]
    public void An_unsupported_proxy_scheme_is_exit_7_without_leaking_the_password()
    {
        var failure = Assert.Throws<FetchException>(() => ProxyResolver.Parse("ftp://user:secret@proxy:21", "--proxy"));
        var invalid = Assert.Throws<FetchException>(() => ProxyResolver.Parse("http://user:secret@:99999", "--proxy"));

        Assert.Equal(FetchExitCodes.CannotConnect, failure.ExitCode);
        Assert.DoesNotContain("secret", invalid.Message, StringComparison.Ordinal);
    }
}
