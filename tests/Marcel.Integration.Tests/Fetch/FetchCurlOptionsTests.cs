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

    /// <summary>Accepts one connection, reads the request (head and the body its Content-Length announces), answers.</summary>
    private static async Task<string> AnswerOnceAsync(TcpListener listener, string response)
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

        await socket.SendAsync(Encoding.ASCII.GetBytes(response));
        socket.Shutdown(SocketShutdown.Both);
        return received.ToString();
    }
}
