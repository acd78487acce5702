using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Marcel.Tests.Support;
using static Marcel.Tests.Support.TlsPeers;

namespace Marcel.Tests.Security;

/// <summary><c>marcel serve --tls</c> against openssl and ncat, with its own and given certificates.</summary>
public class TlsServeTests
{
    private const string Greeting = "You are connected to the Marcel server. Send your messages.";

    [Fact]
    public async Task Openssl_s_client_talks_to_marcel_serve_tls_and_sees_the_printed_fingerprint()
    {
        string openssl = ExternalProgram.Require("openssl");
        (PeerProcess server, int port, string fingerprint) = await ServeAsync(NewConfigFolder());
        await using (server)
        {
            await using PeerProcess client = PeerProcess.Start(openssl, ["s_client", "-connect", $"127.0.0.1:{Text(port)}", "-quiet", "-verify_quiet"]);
            await client.WaitForOutputAsync(Greeting);
            await client.WriteLineAsync("bonjour en TLS");
            await server.WaitForOutputAsync("C> bonjour en TLS\n");
            await server.WriteLineAsync("bien reçu");
            await client.WaitForOutputAsync("bien reçu\n");
            await client.WriteLineAsync("fin");
            await client.WaitForOutputAsync("Goodbye!\n");

            string probe = await FingerprintSeenByOpensslAsync(openssl, port);
            Assert.Equal(fingerprint, probe);
        }
    }

    [Fact]
    public async Task Ncat_ssl_talks_to_marcel_serve_tls()
    {
        string ncat = ExternalProgram.Require("ncat");
        (PeerProcess server, int port, _) = await ServeAsync(NewConfigFolder());
        await using (server)
        {
            await using PeerProcess client = PeerProcess.Start(ncat, ["--ssl", "127.0.0.1", Text(port)]);
            await client.WaitForOutputAsync(Greeting);
            await client.WriteLineAsync("hello from ncat");
            await server.WaitForOutputAsync("C> hello from ncat\n");
            await client.WriteLineAsync("FIN");
            await client.WaitForOutputAsync("Goodbye!\n");
            await server.WaitForOutputAsync("(The client said goodbye.)");
        }
    }

    [Fact]
    public async Task The_chat_room_over_tls_relays_between_openssl_and_a_pinned_marcel_connect()
    {
        string openssl = ExternalProgram.Require("openssl");
        PeerProcess server = MarcelCli.Start(["serve", "--chat", "--tls", "--host", "127.0.0.1", "--port", "0"], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = NewConfigFolder() });
        await using (server)
        {
            int port = await MarcelCli.ListeningPortAsync(server);
            string fingerprint = FingerprintIn(server.Output);
            await using PeerProcess first = PeerProcess.Start(openssl, ["s_client", "-connect", $"127.0.0.1:{Text(port)}", "-quiet", "-verify_quiet"]);
            await first.WaitForOutputAsync("Welcome to Marcel's chat room");
            await using PeerProcess second = MarcelCli.Start("connect", "--tls", "--tls-fingerprint", fingerprint, "127.0.0.1", Text(port));
            // "* user2 joined." or, when both joins fall in one notice window, "* 2 people joined: user1, user2."
            await first.WaitForOutputAsync("user2");
            await second.WriteLineAsync("secret handshake done");
            await first.WaitForOutputAsync("> secret handshake done\n");
            await first.WriteLineAsync("and back");
            await second.WaitForOutputAsync("> and back\n");
        }
    }

    [Theory]
    [InlineData("--keep-open", "FIN")]
    [InlineData("--chat", "/quit")]
    public async Task A_client_that_says_goodbye_over_tls_gets_the_goodbye_and_a_close_notify_not_a_truncation(string mode, string farewell)
    {
        string openssl = ExternalProgram.Require("openssl");
        PeerProcess server = MarcelCli.Start(["serve", mode, "--tls", "--host", "127.0.0.1", "--port", "0"], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = NewConfigFolder() });
        await using (server)
        {
            int port = await MarcelCli.ListeningPortAsync(server);
            await using PeerProcess client = PeerProcess.Start(openssl, ["s_client", "-connect", $"127.0.0.1:{Text(port)}", "-quiet", "-verify_quiet"]);
            await client.WaitForOutputAsync("\n");
            await client.WriteLineAsync(farewell);
            await client.WaitForOutputAsync("Goodbye!");
            await client.WaitForExitAsync();
            // Without close_notify OpenSSL 3 reports the end as "unexpected eof while reading".
            Assert.DoesNotContain("unexpected eof", client.Error, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task The_self_signed_certificate_is_created_once_kept_owner_only_and_reused()
    {
        string config = NewConfigFolder();
        string first;
        (PeerProcess server, _, first) = await ServeAsync(config);
        await using (server)
        {
            Assert.Contains("Created a self-signed TLS certificate", server.Output, StringComparison.Ordinal);
        }

        string file = Path.Combine(config, "marcel", "server-certificate.pfx");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        (server, _, string second) = await ServeAsync(config);
        await using (server)
        {
            Assert.Contains("Using the self-signed TLS certificate", server.Output, StringComparison.Ordinal);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public async Task A_PEM_certificate_and_key_given_are_served()
    {
        string openssl = ExternalProgram.Require("openssl");
        string folder = NewConfigFolder();
        (string cert, string key, string fingerprint) = await OpensslCertificateAsync(folder);
        (PeerProcess server, int port, string printed) = await ServeAsync(folder, "--tls-cert", cert, "--tls-key", key);
        await using (server)
        {
            Assert.Equal(fingerprint, printed);
            Assert.Equal(fingerprint, await FingerprintSeenByOpensslAsync(openssl, port));
            Assert.False(File.Exists(Path.Combine(folder, "marcel", "server-certificate.pfx")));
        }
    }

    [Fact]
    public async Task A_PKCS12_file_with_its_password_in_an_environment_variable_is_served()
    {
        string openssl = ExternalProgram.Require("openssl");
        string folder = NewConfigFolder();
        (string cert, string key, string fingerprint) = await OpensslCertificateAsync(folder);
        string pfx = Path.Combine(folder, "server.p12");
        await RunAsync(openssl, "pkcs12", "-export", "-in", cert, "-inkey", key, "-out", pfx, "-passout", "pass:s3cret");
        PeerProcess server = MarcelCli.Start(
            ["serve", "--tls", "--tls-cert", pfx, "--tls-password-env", "MARCEL_TEST_PFX", "--host", "127.0.0.1", "--port", "0"],
            new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = folder, ["MARCEL_TEST_PFX"] = "s3cret" });
        await using (server)
        {
            await MarcelCli.ListeningPortAsync(server);
            Assert.Equal(fingerprint, FingerprintIn(server.Output));
            Assert.DoesNotContain("s3cret", server.Output + server.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_wrong_PKCS12_password_is_one_line_and_exit_code_5()
    {
        string openssl = ExternalProgram.Require("openssl");
        string folder = NewConfigFolder();
        (string cert, string key, _) = await OpensslCertificateAsync(folder);
        string pfx = Path.Combine(folder, "server.p12");
        await RunAsync(openssl, "pkcs12", "-export", "-in", cert, "-inkey", key, "-out", pfx, "-passout", "pass:right");
        await using PeerProcess server = MarcelCli.Start(
            ["serve", "--tls", "--tls-cert", pfx, "--tls-password-env", "MARCEL_TEST_PFX", "--host", "127.0.0.1", "--port", "0"],
            new Dictionary<string, string> { ["MARCEL_TEST_PFX"] = "wrong" });
        Assert.Equal(5, await server.WaitForExitAsync());
        Assert.StartsWith("Cannot load the TLS certificate " + pfx, server.Error, StringComparison.Ordinal);
        Assert.Single(server.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Tls_options_without_tls_are_a_usage_error()
    {
        await using PeerProcess server = MarcelCli.Start("serve", "--tls-cert", "x.pem", "--port", "0");
        Assert.Equal(1, await server.WaitForExitAsync());
        Assert.Contains("--tls-cert needs --tls.", server.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_never_completes_the_handshake_is_dropped_after_the_timeout_without_holding_up_others()
    {
        (PeerProcess server, int port, _) = await ServeAsync(NewConfigFolder(), "--tls-handshake-timeout", "2", "--keep-open");
        await using (server)
        {
            using var silent = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await silent.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
            var clock = Stopwatch.StartNew();

            // Meanwhile a real client is served, without waiting for the silent one to be dropped.
            (var tls, var reader) = await ConnectAnyAsync(port);
            await using (tls)
            {
                Assert.Equal(Greeting, await reader.ReadLineAsync(Timeouts.StepToken()));
                bool silentStillOpen = !silent.Poll(0, SelectMode.SelectRead);
                Assert.True(silentStillOpen || clock.Elapsed > TimeSpan.FromSeconds(1.9), $"served after {clock.Elapsed}, silent already dropped");
            }

            int read = await silent.ReceiveAsync(new byte[16], Timeouts.StepToken());
            Assert.Equal(0, read);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(15));
            Assert.DoesNotContain("C> ", server.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<string> FingerprintSeenByOpensslAsync(string openssl, int port)
    {
        await using PeerProcess probe = PeerProcess.Start("sh", ["-c", $"{openssl} s_client -connect 127.0.0.1:{Text(port)} </dev/null 2>/dev/null | {openssl} x509 -noout -fingerprint -sha256"]);
        Assert.Equal(0, await probe.WaitForExitAsync());
        return probe.Output.Trim()[(probe.Output.IndexOf('=', StringComparison.Ordinal) + 1)..];
    }
}
