using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Marcel.Tests.Support;

/// <summary>
/// Debian's nginx in the foreground on 127.0.0.1, with a generated config, a private directory and free ports: a
/// plain HTTP listener and a TLS one (self-signed certificate for 127.0.0.1). One process (master_process off), so
/// that <see cref="Kill"/> cuts every transfer at once. Stopped on dispose.
/// </summary>
internal sealed class NginxServer : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly PeerProcess _process;

    private NginxServer(DirectoryInfo directory, PeerProcess process, int port, int tlsPort)
    {
        _directory = directory;
        _process = process;
        Port = port;
        TlsPort = tlsPort;
    }

    public int Port { get; }

    public int TlsPort { get; }

    /// <summary>The document root: tests put their files here.</summary>
    public string Root => Path.Combine(_directory.FullName, "www");

    public PeerProcess Process => _process;

    public static async Task<NginxServer> StartAsync()
    {
        string nginx = ExternalProgram.Require("nginx");
        DirectoryInfo directory = Directory.CreateTempSubdirectory("marcel-nginx-");
        string dir = directory.FullName;
        Directory.CreateDirectory(Path.Combine(dir, "www"));
        WriteCertificate(dir);
        int port = Loopback.FreePort();
        int tlsPort = Loopback.FreePort();
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), Config(dir, port, tlsPort));
        PeerProcess process = PeerProcess.Start(nginx, ["-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-g", "daemon off;"]);
        var server = new NginxServer(directory, process, port, tlsPort);
        await Listening.WaitAsync(port, process);
        await Listening.WaitAsync(tlsPort, process);
        return server;
    }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public string TlsUrl(string path) => $"https://127.0.0.1:{TlsPort}{path}";

    /// <summary>Writes a file under the document root; returns its URL path.</summary>
    public string Put(string path, byte[] content)
    {
        string full = Path.Combine(Root, path.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return path;
    }

    /// <summary>SIGKILL: the server vanishes mid-transfer, as a crash would.</summary>
    public void Kill() => _process.Signal(9);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private static string Config(string dir, int port, int tlsPort) => $$"""
        worker_processes 1;
        master_process off;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log warn;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path {{dir}}/client_temp;
          proxy_temp_path {{dir}}/proxy_temp;
          fastcgi_temp_path {{dir}}/fastcgi_temp;
          uwsgi_temp_path {{dir}}/uwsgi_temp;
          scgi_temp_path {{dir}}/scgi_temp;
          types { text/html html; text/plain txt; application/octet-stream bin; image/png png; }
          default_type application/octet-stream;
          sendfile on;
          server {
            listen 127.0.0.1:{{port}};
            listen 127.0.0.1:{{tlsPort}} ssl;
            ssl_certificate {{dir}}/cert.pem;
            ssl_certificate_key {{dir}}/key.pem;
            root {{dir}}/www;
            location /latin1/ { charset iso-8859-1; }
            location /cp1252/ { charset windows-1252; }
            location /slow/ { limit_rate 64k; }
            location /norange/ { max_ranges 0; }
            location = /redirect { return 302 /hello.txt; }
            location = /chain { return 301 /redirect; }
            location = /loop { return 302 /loop; }
            location = /echo {
              default_type text/plain;
              return 200 "ua=$http_user_agent\naccept=$http_accept\nx=$http_x_marcel\nauth=$http_authorization\n";
            }
          }
        }
        """;

    private static void WriteCertificate(string dir)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }
}
