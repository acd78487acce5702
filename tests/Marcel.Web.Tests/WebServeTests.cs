using System.Net;
using Marcel.Cli.Commands;

namespace Marcel.Web.Tests;

/// <summary>
/// <c>marcel serve --chat --web [HOST:]PORT</c> on the command line: what <c>--web</c> accepts, where the page is served
/// and said to be, and that without <c>--web</c> the room opens no HTTP port at all. (Bad values and options without
/// their partner are rows of <c>UsageErrorTests</c>, with the other one-line errors.)
/// </summary>
public sealed class WebServeTests
{
    [Theory]
    [InlineData("8080", "127.0.0.1", 8080)]
    [InlineData("0", "127.0.0.1", 0)]
    [InlineData("*:8080", "*", 8080)]
    [InlineData("[::1]:8080", "::1", 8080)]
    [InlineData("localhost:65535", "localhost", 65535)]
    [InlineData("192.0.2.7:80", "192.0.2.7", 80)]
    [InlineData("class.example.org:8080", "class.example.org", 8080)]
    public void Web_takes_a_port_or_host_and_port_and_a_bare_port_takes_the_rooms_host(string value, string host, int port)
    {
        Assert.True(WebServe.TryParseEndpoint(value, "127.0.0.1", out string parsedHost, out int parsedPort));
        Assert.Equal((host, port), (parsedHost, parsedPort));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("+80")]
    [InlineData("80 ")]
    [InlineData("localhost:")]
    [InlineData(":8080")]
    [InlineData("localhost:http")]
    [InlineData("::1:8080")] // IPv6 needs its brackets: which colon starts the port?
    [InlineData("[::1]")]
    [InlineData("[::1:8080")]
    [InlineData("[::1]x:8080")]
    [InlineData("[]:8080")]
    [InlineData("a:b:8080")]
    public void Web_refuses_anything_else(string value) =>
        Assert.False(WebServe.TryParseEndpoint(value, "127.0.0.1", out _, out _), value);

    [Theory]
    [InlineData("::1", "0", "http://[::1]:")] // No host in --web: --host's.
    [InlineData("127.0.0.1", "[::1]:0", "http://[::1]:")] // A host in --web: that one, whatever --host says.
    [InlineData("::1", "127.0.0.1:0", "http://127.0.0.1:")]
    public async Task The_page_is_served_where_web_says_and_on_the_rooms_host_when_it_names_none(string host, string web, string expected)
    {
        await using PeerProcess server = MarcelCli.Start("serve", "--chat", "--host", host, "--port", "0", "--web", web);
        Uri page = await WebServer.PageAsync(server);

        Assert.StartsWith(expected, page.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Page: {page}\n", server.Output, StringComparison.Ordinal);
        using var http = new HttpClient();
        using HttpResponseMessage response = await http.GetAsync(page, Timeouts.StepToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Without_web_the_room_listens_on_its_own_port_and_on_no_http_port()
    {
        (PeerProcess plain, int port) = await MarcelCli.ServeAsync("--chat");
        await using (plain)
        {
            Assert.Equal(new[] { port }, ListeningSockets.TcpPorts(plain.Id));
            Assert.DoesNotContain("Page", plain.Output, StringComparison.Ordinal);
        }

        // The same look at a room with --web sees its page's port beside the room's: it would see an HTTP listener.
        (PeerProcess web, int tcpPort, Uri page) = await WebServer.StartAsync();
        await using (web)
        {
            Assert.Equal(new[] { tcpPort, page.Port }.Order(), ListeningSockets.TcpPorts(web.Id).Order());
        }
    }
}
