using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Marcel.Core.Chat;
using Marcel.Core.Security;

namespace Marcel.Web.Tests;

/// <summary>The HTTP side of the browser room on a real Kestrel: page, headers, refusals, limits, TLS.</summary>
public sealed class WebRoomHostTests
{
    [Fact]
    public async Task The_page_is_served_at_the_root_with_headers_that_keep_it_to_itself()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using var http = new HttpClient();
        using HttpResponseMessage page = await http.GetAsync(room.Page, Timeouts.StepToken());

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.False(page.Headers.Contains("Server"));
        string html = await page.Content.ReadAsStringAsync(Timeouts.StepToken());
        Assert.Contains("<script src=\"/app.js\"", html, StringComparison.Ordinal);

        foreach (string file in new[] { "app.js", "app.css" })
        {
            using HttpResponseMessage asset = await http.GetAsync(new Uri(room.Page, file), Timeouts.StepToken());
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    [Fact]
    public async Task The_page_speaks_the_browsers_language_unless_the_server_chose_one()
    {
        await using EchoRoom negotiating = await EchoRoom.StartAsync(new WebRoomOptions { FallbackLanguage = CultureInfo.GetCultureInfo("en") });
        Assert.Contains("lang=\"fr\"", await PageAsync(negotiating.Page, "fr-FR,fr;q=0.9"), StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", await PageAsync(negotiating.Page, "de-DE"), StringComparison.Ordinal);

        await using EchoRoom french = await EchoRoom.StartAsync(new WebRoomOptions { Language = CultureInfo.GetCultureInfo("fr") });
        Assert.Contains("lang=\"fr\"", await PageAsync(french.Page, "en-US"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/admin", HttpStatusCode.NotFound)]
    [InlineData("GET", "/../etc/passwd", HttpStatusCode.NotFound)]
    [InlineData("POST", "/", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "/ws", HttpStatusCode.UpgradeRequired)]
    public async Task Any_other_request_gets_a_plain_refusal(string method, string path, HttpStatusCode expected)
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(room.Page, path));
        using HttpResponseMessage response = await http.SendAsync(request, Timeouts.StepToken());
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_host_name_that_is_not_ours_is_refused_against_DNS_rebinding()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, room.Page);
        request.Headers.Host = $"rebind.evil.example:{room.Port}";
        using HttpResponseMessage response = await http.SendAsync(request, Timeouts.StepToken());
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_websocket_from_another_origin_is_refused_with_403()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(room.Page, origin: "http://evil.example"));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);

        await using SocketClient own = await room.ConnectAsync(room.Origin);
        await using SocketClient noBrowser = await room.ConnectAsync();
        await own.SendAsync("hi");
        Assert.Equal("echo: hi", await own.ReceiveAsync());
    }

    [Fact]
    public async Task An_allowed_origin_may_open_the_socket()
    {
        await using EchoRoom room = await EchoRoom.StartAsync(new WebRoomOptions { AllowedOrigins = ["https://class.example.org"] });
        await using SocketClient allowed = await room.ConnectAsync("https://class.example.org");
        await allowed.SendAsync("hi");
        Assert.Equal("echo: hi", await allowed.ReceiveAsync());
    }

    [Fact]
    public async Task Compression_offered_by_the_client_is_declined_against_CRIME_and_BREACH()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using RawWebSocket client = await RawWebSocket.ConnectAsync(
            new IPEndPoint(IPAddress.Loopback, room.Port), Timeouts.StepToken(),
            extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n");

        Assert.StartsWith("HTTP/1.1 101", client.ResponseHead, StringComparison.Ordinal);
        Assert.DoesNotContain("Sec-WebSocket-Extensions", client.ResponseHead, StringComparison.OrdinalIgnoreCase);
        // Uncompressed, the greeting reads as itself (a deflated one would be other bytes, with RSV1 set).
        Assert.Equal(EchoRoom.Greeting, await client.ReadTextAsync(Timeouts.StepToken()));
    }

    [Fact]
    public async Task A_frame_sent_with_the_upgrade_request_is_not_lost_when_the_socket_leaves_kestrel()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using RawWebSocket client = await RawWebSocket.ConnectAsync(
            new IPEndPoint(IPAddress.Loopback, room.Port), Timeouts.StepToken(), textWithRequest: "early");

        Assert.Equal(EchoRoom.Greeting, await client.ReadTextAsync(Timeouts.StepToken()));
        Assert.Equal("echo: early", await client.ReadTextAsync(Timeouts.StepToken()));
        await client.SendTextAsync("later", Timeouts.StepToken());
        Assert.Equal("echo: later", await client.ReadTextAsync(Timeouts.StepToken()));
    }

    [Fact]
    public async Task The_101_proves_the_key_was_read_as_RFC_6455_computes_it()
    {
        // RFC 6455 §1.3's own example.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Transport.WebSocketHandshake.Accept("dGhlIHNhbXBsZSBub25jZQ=="));

        await using EchoRoom room = await EchoRoom.StartAsync();
        using RawWebSocket client = await RawWebSocket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, room.Port), Timeouts.StepToken());
        string[] head = client.ResponseHead.Split("\r\n");
        Assert.Equal("HTTP/1.1 101 Switching Protocols", head[0]);
        Assert.Contains("Upgrade: websocket", head);
        Assert.DoesNotContain(head, h => h.StartsWith("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_denied_address_is_closed_without_a_word()
    {
        var access = new ChatAccess([], [IPNetwork.Parse("127.0.0.0/8")]);
        await using EchoRoom room = await EchoRoom.StartAsync(admits: access.Admits);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, room.Port, Timeouts.StepToken());
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray(), Timeouts.StepToken());
        byte[] buffer = new byte[1024];
        int read;
        try
        {
            read = await socket.ReceiveAsync(buffer, Timeouts.StepToken());
        }
        catch (SocketException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Headers_held_open_are_cut_off_by_the_request_headers_timeout()
    {
        await using EchoRoom room = await EchoRoom.StartAsync(new WebRoomOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, room.Port, Timeouts.StepToken());
        await socket.SendAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "u8.ToArray(), Timeouts.StepToken());
        // Never finish the headers: Kestrel answers 408 (or just closes) once the timeout passes, and the socket ends.
        var received = new MemoryStream();
        byte[] buffer = new byte[1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, Timeouts.StepToken())) > 0)
        {
            received.Write(buffer, 0, read);
        }

        string answer = Encoding.ASCII.GetString(received.ToArray());
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
    }

    [Fact]
    public async Task Garbage_instead_of_a_request_gets_400_and_the_server_stays_up()
    {
        await using EchoRoom room = await EchoRoom.StartAsync();
        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, room.Port, Timeouts.StepToken());
            await socket.SendAsync("\u0001\u0002 garbage \r\n\r\n"u8.ToArray(), Timeouts.StepToken());
            byte[] buffer = new byte[1024];
            int read = await socket.ReceiveAsync(buffer, Timeouts.StepToken());
            Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(buffer, 0, read), StringComparison.Ordinal);
        }

        Assert.Contains("<html", await PageAsync(room.Page, "en"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_tls_the_page_and_the_socket_are_served_over_https_with_the_rooms_certificate()
    {
        using var certificate = ServerCertificate.LoadOrCreateSelfSigned(TestFolders.NewFolder("web-tls-"), out _);
        await using EchoRoom room = await EchoRoom.StartAsync(new WebRoomOptions { Tls = new TlsServerOptions { Certificate = certificate } });
        Assert.Equal("https", room.Page.Scheme);
        string expected = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == expected,
        };
        using var http = new HttpClient(handler);
        using HttpResponseMessage page = await http.GetAsync(room.Page, Timeouts.StepToken());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        System.Net.Security.RemoteCertificateValidationCallback trusted =
            (_, presented, _, _) => presented?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == expected;
        await using SocketClient client = await room.ConnectAsync(configure: o => o.RemoteCertificateValidationCallback = trusted);
        await client.SendAsync("secret");
        Assert.Equal("echo: secret", await client.ReceiveAsync());

        // The page's own origin is https: the same host and port over http is another origin, refused.
        await using SocketClient own = await room.ConnectAsync(room.Origin, o => o.RemoteCertificateValidationCallback = trusted);
        Assert.StartsWith("https://", room.Origin, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => SocketClient.ConnectAsync(
            room.Page, "http://127.0.0.1:" + room.Port.ToString(CultureInfo.InvariantCulture), o => o.RemoteCertificateValidationCallback = trusted));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(Uri page, string acceptLanguage)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        using HttpResponseMessage response = await http.SendAsync(request, Timeouts.StepToken());
        return await response.Content.ReadAsStringAsync(Timeouts.StepToken());
    }
}
