using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Marcel.Core.Fetch;
using Marcel.Tests.Support;

namespace Marcel.Tests.Fetch;

/// <summary>The curl options a new user reaches for first: -X, -d, --data-binary, -u, -w, -O, and -o into a missing folder.</summary>
public class FetchCurlOptionsTests
{
    [Fact]
    public async Task Data_is_posted_with_basic_credentials_and_write_out_prints_the_status()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        Task<string> request = AnswerOnceAsync(listener, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        FetchRun run = await FetchProcess.RunAsync("-d", "a=1", "-d", "b=2", "-u", "bob:secret", "-w", "[%{http_code}]\\n", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/form");

        string head = await request;
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok[201]\n", run.Stdout);
        Assert.StartsWith("POST /form HTTP/1.1\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Authorization: Basic " + Convert.ToBase64String("bob:secret"u8.ToArray()), head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/x-www-form-urlencoded", head, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\na=1&b=2", head, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_sets_the_method()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        Task<string> request = AnswerOnceAsync(listener, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");

        FetchRun run = await FetchProcess.RunAsync("-X", "DELETE", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/item");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("DELETE /item HTTP/1.1\r\n", await request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_from_a_missing_file_is_curls_exit_26()
    {
        FetchRun run = await FetchProcess.RunAsync("--data-binary", "@/nonexistent/body.bin", "http://127.0.0.1:9/");

        Assert.Equal(26, run.ExitCode);
        Assert.Contains("/nonexistent/body.bin", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_into_a_missing_folder_names_the_users_path_not_the_temporary_file()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        _ = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");

        FetchRun run = await FetchProcess.RunAsync("-o", "/nonexistent/dir/x", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");

        Assert.Equal(23, run.ExitCode);
        Assert.Contains("/nonexistent/dir/x: the directory /nonexistent/dir does not exist", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".part", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html", new byte[] { 0x63, 0x61, 0x66, 0xE9, 0x20, 0x63 }, 1252)]
    [InlineData("text/html", new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 }, 65001)]
    [InlineData("text/plain", new byte[] { 0xEF, 0xBB, 0xBF, 0x61 }, 65001)]
    [InlineData("text/plain", new byte[] { 0xFF, 0xFE, 0x61, 0x00 }, 1200)]
    [InlineData("text/plain; charset=iso-8859-1", new byte[] { 0xC3, 0xA9 }, 1252)]
    public void A_body_without_charset_is_sniffed_as_browsers_do(string contentType, byte[] body, int codePage)
    {
        Assert.Equal(codePage, BodyCharset.Detect(System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType), body).CodePage);
    }

    [Fact]
    public void A_meta_charset_in_html_names_the_encoding()
    {
        byte[] page = Encoding.ASCII.GetBytes("<html><head><meta charset=\"iso-8859-15\"></head>caf\u00e9");

        Assert.Equal(28605, BodyCharset.Detect(System.Net.Http.Headers.MediaTypeHeaderValue.Parse("text/html"), page).CodePage);
    }

    [Fact]
    public async Task Compressed_asks_for_gzip_and_decodes_the_body_byte_for_byte()
    {
        byte[] body = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7 % 256))];
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(body);
        using TcpListener listener = Loopback.Listen(out int port);
        Task<string> request = AnswerOnceAsync(listener, Head($"Content-Encoding: gzip\r\nContent-Length: {packed.Length}"), packed.ToArray());
        string file = TestFolders.NewFile("body.bin");

        FetchRun run = await FetchProcess.RunAsync("--compressed", "-o", file, Url(port, "/packed"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Accept-Encoding: gzip", await request, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(body, await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task A_body_that_is_not_what_its_encoding_says_is_curls_exit_61_in_one_line(string encoding)
    {
        byte[] bogus = [.. "this is not compressed at all, whatever the head says"u8];
        using TcpListener listener = Loopback.Listen(out int port);
        _ = AnswerOnceAsync(listener, Head($"Content-Type: text/plain\r\nContent-Encoding: {encoding}\r\nContent-Length: {bogus.Length}"), bogus);

        FetchRun run = await FetchProcess.RunAsync("--compressed", Url(port, "/bogus"));

        Assert.Equal(61, run.ExitCode);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.Contains("could not be decoded", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_name_saves_under_the_urls_last_segment_in_the_current_folder()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        _ = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        string folder = TestFolders.NewFolder("remote-name-");

        FetchRun run = await FetchProcess.RunInAsync(folder, "-O", Url(port, "/files/caf%C3%A9.txt?x=1"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(folder, "café.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Data_binary_from_a_file_is_sent_byte_for_byte()
    {
        // Every byte value, newlines, carriage returns and NULs included: -d would strip them, --data-binary must not.
        byte[] content = [.. Enumerable.Range(0, 512).Select(i => (byte)(i % 256))];
        string file = TestFolders.NewFile("body.bin");
        await File.WriteAllBytesAsync(file, content, TestContext.Current.CancellationToken);
        using TcpListener listener = Loopback.Listen(out int port);
        Task<string> request = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        FetchRun run = await FetchProcess.RunAsync("--data-binary", "@" + file, Url(port, "/upload"));

        string received = await request;
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("POST /upload HTTP/1.1\r\n", received, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 512\r\n", received, StringComparison.Ordinal);
        Assert.Equal(content, Encoding.Latin1.GetBytes(received[(received.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]));
    }

    [Fact]
    public async Task User_without_a_password_takes_it_from_MARCEL_PASSWORD()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        Task<string> request = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        FetchRun run = await FetchProcess.RunAsync(["-u", "bob", Url(port, "/private")], new Dictionary<string, string> { ["MARCEL_PASSWORD"] = "s3cret" });

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Authorization: Basic " + Convert.ToBase64String("bob:s3cret"u8.ToArray()), await request, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_out_knows_curls_common_variables()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        _ = AnswerOnceAsync(listener, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        string file = TestFolders.NewFile("out.txt");

        FetchRun run = await FetchProcess.RunAsync("-o", file, "-w", "%{response_code}|%{size_download}|%{content_type}|%{url_effective}|%{time_total}|%{speed_download}|%{nothing}|100%%\\n", Url(port, "/w"));

        Assert.Equal(0, run.ExitCode);
        string[] fields = run.Stdout.Split('|');
        Assert.Equal(["200", "5", "text/plain; charset=utf-8", Url(port, "/w")], fields[..4]);
        Assert.Matches("^[0-9]+\\.[0-9]{6}$", fields[4]);
        Assert.Matches("^[0-9]+$", fields[5]);
        Assert.Equal("%{nothing}", fields[6]);
        Assert.Equal("100%\n", fields[7]);
    }

    [Fact]
    public async Task Write_out_still_writes_when_no_response_came_with_http_code_000()
    {
        using Socket holder = Loopback.ClosedPort(out int port);

        FetchRun run = await FetchProcess.RunAsync("-w", "%{http_code}\\n", Url(port, "/"));

        Assert.Equal(7, run.ExitCode);
        Assert.Equal("000\n", run.Stdout);
    }

    [Fact]
    public async Task Write_out_with_fail_writes_the_error_status()
    {
        using TcpListener listener = Loopback.Listen(out int port);
        _ = AnswerOnceAsync(listener, "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\nConnection: close\r\n\r\ngone");

        FetchRun run = await FetchProcess.RunAsync("-f", "-w", "%{http_code}", Url(port, "/missing"));

        Assert.Equal(22, run.ExitCode);
        Assert.Equal("404", run.Stdout);
    }

    [Fact]
    public async Task The_charset_is_sniffed_past_a_first_piece_that_is_all_ascii()
    {
        string first = "<p>" + new string('a', 200) + "\n";
        byte[] second = Encoding.Latin1.GetBytes("caf\u00e9 cr\u00e8me</p>\n");
        using TcpListener listener = Loopback.Listen(out int port);
        await using PeerProcess terminal = FetchProcess.StartOnTerminal(null, Url(port, "/pieces.html"));
        using (Socket socket = await listener.AcceptSocketAsync(Timeouts.StepToken()))
        {
            await ReadRequestHeadAsync(socket);
            // The head and a first chunk, all ASCII, arrive together: the first read of the body returns that chunk
            // alone. The rest is sent once the head is on the screen, that is after that first read was asked for.
            await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{first.Length:x}\r\n{first}\r\n"));
            await terminal.WaitForOutputAsync("Content-Type: text/html");
            await socket.SendAsync((byte[])[.. Encoding.ASCII.GetBytes($"{second.Length:x}\r\n"), .. second, .. "\r\n0\r\n\r\n"u8]);
            socket.Shutdown(SocketShutdown.Both);
        }

        Assert.Equal(0, await terminal.WaitForExitAsync());
        Assert.Contains("caf\u00e9 cr\u00e8me</p>", terminal.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\ufffd", terminal.Output, StringComparison.Ordinal);
    }

    private static async Task ReadRequestHeadAsync(Socket socket)
    {
        var received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await socket.ReceiveAsync(buffer, Timeouts.StepToken());
            if (read == 0) return;
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }
    }

    private static string Url(int port, string path) => $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{path}";

    private static string Head(string headers) => $"HTTP/1.1 200 OK\r\n{headers}\r\nConnection: close\r\n\r\n";

    /// <summary>Accepts one connection, reads the request (head and the body its Content-Length announces), answers.</summary>
    private static Task<string> AnswerOnceAsync(TcpListener listener, string response) => AnswerOnceAsync(listener, response, []);

    /// <summary>As above, with <paramref name="payload"/>, raw bytes, after <paramref name="head"/>.</summary>
    private static async Task<string> AnswerOnceAsync(TcpListener listener, string head, byte[] payload)
    {
        using Socket socket = await listener.AcceptSocketAsync(Timeouts.StepToken());
        var received = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (true)
        {
            int read = await socket.ReceiveAsync(buffer, Timeouts.StepToken());
            if (read == 0) break;
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            string text = received.ToString();
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            System.Text.RegularExpressions.Match length = System.Text.RegularExpressions.Regex.Match(text[..end], "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            int body = length.Success ? int.Parse(length.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            if (text.Length >= end + 4 + body) break;
        }

        await socket.SendAsync((byte[])[.. Encoding.ASCII.GetBytes(head), .. payload]);
        socket.Shutdown(SocketShutdown.Both);
        return received.ToString();
    }
}
