namespace Marcel.Web.Tests;

public sealed class OriginPolicyTests
{
    private static readonly OriginPolicy Default = new([], ["teacher-pc", "teacher-pc.local"]);

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("[::1]:8080")]
    [InlineData("192.168.1.10")]
    [InlineData("localhost:8080")]
    [InlineData("LOCALHOST")]
    [InlineData("class.localhost:8080")]
    [InlineData("teacher-pc:8080")]
    [InlineData("teacher-pc.local.")]
    public void Addresses_localhost_and_the_machines_names_are_our_hosts(string host) => Assert.True(Default.AcceptsHost(host));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evil.example:8080")]
    [InlineData("localhost.evil.example")]
    [InlineData("user@127.0.0.1")]
    [InlineData("127.0.0.1/path")]
    public void A_name_we_do_not_answer_to_is_refused_so_DNS_rebinding_finds_a_closed_door(string? host) => Assert.False(Default.AcceptsHost(host));

    [Fact]
    public void The_host_of_an_allowed_origin_is_one_of_ours() =>
        Assert.True(new OriginPolicy(["https://class.example.org"], []).AcceptsHost("class.example.org:8443"));

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http", "127.0.0.1:8080")]
    [InlineData("http://LOCALHOST:8080", "http", "localhost:8080")]
    [InlineData("https://[::1]", "https", "[::1]:443")]
    [InlineData("http://teacher-pc", "http", "teacher-pc:80")]
    public void The_pages_own_origin_may_open_the_socket(string origin, string scheme, string host) =>
        Assert.True(Default.AcceptsOrigin(origin, scheme, host));

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:8081")]
    [InlineData("https://127.0.0.1:8080")]
    [InlineData("null")]
    [InlineData("file://")]
    [InlineData("not an origin")]
    public void Another_origin_is_refused(string origin) => Assert.False(Default.AcceptsOrigin(origin, "http", "127.0.0.1:8080"));

    [Fact]
    public void A_client_that_sends_no_origin_is_not_a_browser_and_is_let_in() =>
        Assert.True(Default.AcceptsOrigin(null, "http", "127.0.0.1:8080"));

    [Fact]
    public void An_allowed_origin_may_open_the_socket_and_star_allows_any()
    {
        var policy = new OriginPolicy(["https://class.example.org"], []);
        Assert.True(policy.AcceptsOrigin("https://class.example.org:443", "http", "127.0.0.1:8080"));
        Assert.False(policy.AcceptsOrigin("http://class.example.org", "http", "127.0.0.1:8080"));
        Assert.True(new OriginPolicy(["*"], []).AcceptsOrigin("http://anything.example", "http", "127.0.0.1:8080"));
    }

    [Theory]
    [InlineData("*", true)]
    [InlineData("https://class.example.org", true)]
    [InlineData("http://192.168.1.10:8080", true)]
    [InlineData("https://class.example.org/", true)]
    [InlineData("https://class.example.org/chat", false)]
    [InlineData("ftp://class.example.org", false)]
    [InlineData("class.example.org", false)]
    [InlineData("https://user@class.example.org", false)]
    public void An_origin_option_is_a_scheme_a_host_and_a_port_only(string value, bool valid) =>
        Assert.Equal(valid, OriginPolicy.IsValidOrigin(value));
}
