using Marcel.Core.Fetch;

namespace Marcel.Tests.Fetch;

/// <summary>curl's no_proxy matching.</summary>
public sealed class NoProxyListTests
{
    [Theory]
    [InlineData("example.org", "example.org", true)]
    [InlineData("www.example.org", "example.org", true)]
    [InlineData("www.example.org", ".example.org", true)]
    [InlineData("EXAMPLE.org", "example.ORG", true)]
    [InlineData("badexample.org", "example.org", false)]
    [InlineData("example.org", "www.example.org", false)]
    [InlineData("anything", "*", true)]
    [InlineData("a.test", "x.test, a.test", true)]
    [InlineData("a.test", "x.test b.test", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.2", "127.0.0.1", false)]
    [InlineData("127.1.2.3", "127.0.0.0/8", true)]
    [InlineData("10.0.0.1", "127.0.0.0/8", false)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("example.org.", "example.org", true)]
    [InlineData("example.org", "", false)]
    public void Hosts_match_as_curl_matches_them(string host, string list, bool expected)
    {
        Assert.Equal(expected, NoProxyList.Matches(host, list));
    }
}
