using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>TLS helpers: a marcel TLS server with its own config folder, certificates made by openssl, a raw TLS client.</summary>
internal static class TlsPeers
{
    /// <summary>A fresh folder standing in for ~/.config (XDG_CONFIG_HOME), so tests never touch the user's own certificate.</summary>
    public static string NewConfigFolder() => TestFolders.NewFolder("tls-");

    /// <summary>Starts <c>marcel serve --tls</c> on a free port; returns it with the fingerprint it printed.</summary>
    public static async Task<(PeerProcess Server, int Port, string Fingerprint)> ServeAsync(string configFolder, params string[] extra)
    {
        PeerProcess server = MarcelCli.Start(["serve", "--tls", "--host", "127.0.0.1", "--port", "0", .. extra], new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = configFolder });
        int port = await MarcelCli.ListeningPortAsync(server);
        return (server, port, FingerprintIn(server.Output));
    }

    /// <summary>The value after "fingerprint: " in a program's output.</summary>
    public static string FingerprintIn(string output)
    {
        const string Marker = "fingerprint: ";
        int at = output.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        return output.Substring(at + Marker.Length, 95);
    }

    /// <summary>Runs a program to its end and returns its stdout (bounded).</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        await using PeerProcess process = PeerProcess.Start(program, arguments);
        int code = await process.WaitForExitAsync();
        Assert.True(code == 0, process.ToString());
        return process.Output;
    }

    /// <summary>A self-signed PEM certificate and key made by openssl for localhost; returns the two paths and openssl's fingerprint.</summary>
    public static async Task<(string Cert, string Key, string Fingerprint)> OpensslCertificateAsync(string folder)
    {
        string openssl = ExternalProgram.Require("openssl");
        string cert = Path.Combine(folder, "cert.pem"), key = Path.Combine(folder, "key.pem");
        await RunAsync(openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert);
        string printed = await RunAsync(openssl, "x509", "-in", cert, "-noout", "-fingerprint", "-sha256");
        return (cert, key, printed.Trim()[(printed.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>Opens a TLS connection that accepts any certificate and reads lines from it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5359", Justification = "A test client of a throw-away self-signed server on loopback.")]
    public static async Task<(SslStream Tls, StreamReader Reader)> ConnectAnyAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), Timeouts.StepToken());
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = (_, _, _, _) => true }, Timeouts.StepToken());
        return (tls, new StreamReader(tls, new UTF8Encoding(false)));
    }

    public static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
