using System.Security.Cryptography;
using System.Text;

namespace Marcel.Tests.Support;

/// <summary>
/// The real peers of the fetch tests, started once per test class: an nginx with the test pages and a large random
/// file, and a tinyproxy with Basic auth in front of it.
/// </summary>
public sealed class FetchPeers : IAsyncLifetime
{
    public const int LargeSize = 24 * 1024 * 1024;

    internal NginxServer Nginx { get; private set; } = null!;

    internal TinyproxyServer Proxy { get; private set; } = null!;

    /// <summary>SHA-256 of <c>/large.bin</c>.</summary>
    public string LargeHash { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Nginx = await NginxServer.StartAsync();
        Proxy = await TinyproxyServer.StartAsync();
        Nginx.Put("/hello.txt", Encoding.UTF8.GetBytes("Bonjour, le réseau !\n"));
        // "Hélène à l'École, 10 €" in Latin-1 (no € there) and in windows-1252 (€ is 0x80).
        Nginx.Put("/latin1/page.html", Encoding.Latin1.GetBytes("<p>Hélène à l'École, garçon</p>\n"));
        Nginx.Put("/cp1252/page.html", [.. Encoding.Latin1.GetBytes("<p>Prix : 10 "), 0x80, .. "</p>\n"u8]);
        Nginx.Put("/image.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
        byte[] large = RandomNumberGenerator.GetBytes(LargeSize);
        Nginx.Put("/large.bin", large);
        LargeHash = Convert.ToHexString(SHA256.HashData(large));
    }

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Nginx.DisposeAsync();
    }
}
