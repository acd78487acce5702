using System.Net;
using System.Net.Sockets;
using Marcel.Tests.Support;
using static Marcel.Tests.Support.TlsPeers;

namespace Marcel.Tests.Security;

/// <summary><c>marcel connect --tls</c> against ncat --ssl and marcel serve --tls: verification, pinning, failures.</summary>
public class TlsConnectTests
{
    [Fact]
    public async Task Connect_tls_insecure_talks_with_ncat_ssl_listening_on_its_own_certificate_and_warns()
    {
        string ncat = ExternalProgram.Require("ncat");
        int port = Loopback.FreePort();
        await using PeerProcess listener = PeerProcess.Start(ncat, ["-v", "--ssl", "-l", "127.0.0.1", Text(port)]);
        await listener.WaitForErrorAsync("Listening");
        await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--insecure", "127.0.0.1", Text(port));
        await client.WaitForOutputAsync("Connection established with the server.");
        Assert.Contains("Warning: --insecure", client.Error, StringComparison.Ordinal);
        await listener.WriteLineAsync("hi from ncat");
        await client.WaitForOutputAsync("S> hi from ncat\n");
        await client.WriteLineAsync("hi from marcel");
        await listener.WaitForOutputAsync("hi from marcel\n");
        await listener.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
    }

    [Fact]
    public async Task Connect_tls_pinned_to_the_certificate_ncat_serves_talks_with_it()
    {
        string ncat = ExternalProgram.Require("ncat");
        (string cert, string key, string fingerprint) = await OpensslCertificateAsync(NewConfigFolder());
        int port = Loopback.FreePort();
        await using PeerProcess listener = PeerProcess.Start(ncat, ["-v", "--ssl", "--ssl-cert", cert, "--ssl-key", key, "-l", "127.0.0.1", Text(port)]);
        await listener.WaitForErrorAsync("Listening");
        await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--tls-fingerprint", fingerprint.ToLowerInvariant().Replace(":", "", StringComparison.Ordinal), "127.0.0.1", Text(port));
        await client.WaitForOutputAsync("Connection established with the server.");
        await client.WriteLineAsync("pinned hello");
        await listener.WaitForOutputAsync("pinned hello\n");
        await listener.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Equal(string.Empty, client.Error);
    }

    [Fact]
    public async Task Connect_tls_pinned_to_marcel_serve_tls_holds_the_conversation()
    {
        (PeerProcess server, int port, string fingerprint) = await ServeAsync(NewConfigFolder());
        await using (server)
        {
            await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--tls-fingerprint", fingerprint, "localhost", Text(port));
            await client.WaitForOutputAsync("S> You are connected to the Marcel server.");
            await client.WriteLineAsync("chiffré");
            await server.WaitForOutputAsync("C> chiffré\n");
            await client.WriteLineAsync("fin");
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Contains("S> Goodbye!", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_untrusted_self_signed_server_is_refused_in_one_line_with_its_fingerprint_exit_5_and_nothing_sent()
    {
        (PeerProcess server, int port, string fingerprint) = await ServeAsync(NewConfigFolder());
        await using (server)
        {
            await using PeerProcess client = MarcelCli.Start("connect", "--tls", "127.0.0.1", Text(port));
            await client.WriteLineAsync("secret that must not leave");
            Assert.Equal(5, await client.WaitForExitAsync());
            Assert.Equal(
                $"TLS handshake with 127.0.0.1:{Text(port)} failed: the certificate is not trusted (self-signed or unknown issuer); if you trust it, pin it with --tls-fingerprint {fingerprint}\n",
                client.Error);
            Assert.DoesNotContain("Connection established", client.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("C> ", server.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_pinned_fingerprint_that_does_not_match_is_refused_with_exit_5()
    {
        (PeerProcess server, int port, string fingerprint) = await ServeAsync(NewConfigFolder());
        await using (server)
        {
            string other = string.Concat(Enumerable.Repeat("AB:", 31)) + "AB";
            await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--tls-fingerprint", other, "127.0.0.1", Text(port));
            Assert.Equal(5, await client.WaitForExitAsync());
            Assert.Contains($"the certificate's fingerprint is {fingerprint}, not the pinned one", client.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_server_that_never_answers_the_handshake_is_a_timeout_not_a_hang()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--timeout", "1", "127.0.0.1", Text(port));
        Assert.Equal(5, await client.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("failed: no complete handshake within 1 s", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_server_is_reported_as_not_speaking_tls()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using PeerProcess client = MarcelCli.Start("connect", "--tls", "127.0.0.1", Text(port));
            Assert.Equal(5, await client.WaitForExitAsync());
            Assert.Contains("the server broke off the handshake or does not speak TLS", client.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_invalid_fingerprint_is_a_usage_error()
    {
        await using PeerProcess client = MarcelCli.Start("connect", "--tls", "--tls-fingerprint", "12:34", "127.0.0.1", "1");
        Assert.Equal(1, await client.WaitForExitAsync());
        Assert.Contains("--tls-fingerprint wants a SHA-256 fingerprint", client.Error, StringComparison.Ordinal);
    }
}
