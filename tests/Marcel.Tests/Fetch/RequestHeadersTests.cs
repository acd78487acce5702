using Marcel.Core.Fetch;

namespace Marcel.Tests.Fetch;

/// <summary>The -H syntax, the merge with the chapter's defaults, and masking for -v.</summary>
public sealed class RequestHeadersTests
{
    [Fact]
    public void Header_arguments_parse_as_curl_parses_them()
    {
        Assert.True(RequestHeaders.TryParse("X-Test:  value ", out var sent));
        Assert.True(RequestHeaders.TryParse("Accept:", out var removed));
        Assert.True(RequestHeaders.TryParse("X-Empty;", out var empty));

        Assert.Equal(new("X-Test", "value"), sent);
        Assert.Equal(new("Accept", null), removed);
        Assert.Equal(new("X-Empty", string.Empty), empty);
        Assert.False(RequestHeaders.TryParse("no colon", out _));
        Assert.False(RequestHeaders.TryParse("Bad Name: x", out _));
    }

    [Fact]
    public void The_defaults_are_the_chapter_s_Accept_values_and_a_header_of_the_same_name_replaces_them()
    {
        var defaults = RequestHeaders.Merge(new FetchOptions { Url = new("http://a.test/") }, "marcel/1", crossHost: false);
        var replaced = RequestHeaders.Merge(new FetchOptions { Url = new("http://a.test/"), Headers = [new("accept", "text/csv"), new("User-Agent", null)] }, "marcel/1", crossHost: false);

        Assert.Equal([new("User-Agent", "marcel/1"), new("Accept", "text/html"), new("Accept", "text/plain")], defaults);
        Assert.Equal([new("accept", "text/csv")], replaced);
    }

    [Fact]
    public void Authorization_and_cookies_are_not_carried_to_another_host()
    {
        var options = new FetchOptions { Url = new("http://a.test/"), Headers = [new("Authorization", "Basic xyz"), new("Cookie", "a=b"), new("X-Other", "1")] };

        var merged = RequestHeaders.Merge(options, string.Empty, crossHost: true);

        Assert.DoesNotContain(merged, h => h.Key is "Authorization" or "Cookie");
        Assert.Contains(new KeyValuePair<string, string>("X-Other", "1"), merged);
    }

    [Theory]
    [InlineData("Authorization", "Basic YWxpY2U6c2VjcmV0", "Basic *****")]
    [InlineData("proxy-authorization", "Bearer abc.def", "Bearer *****")]
    [InlineData("Authorization", "token", "*****")]
    [InlineData("Accept", "text/html", "text/html")]
    public void Credentials_are_masked_for_display(string name, string value, string shown)
    {
        Assert.Equal(shown, RequestHeaders.Mask(name, value));
    }
}
