using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Marcel.Redis;
using Marcel.Tests.Support;
using StackExchange.Redis;

namespace Marcel.Tests.Redis;

/// <summary>
/// <c>rediss://</c> against Debian's redis-server speaking TLS itself (<c>--tls-port</c>, no relay needed), with a
/// self-signed certificate made by openssl for localhost and 127.0.0.1: refused unless trusted with <c>--redis-ca</c>.
/// </summary>
public sealed class RedisTlsTests
{
    private static RedisRoomOptions At(RedisServer redis, string? ca = null) => new()
    {
        Address = new RedisAddress("127.0.0.1", redis.Port, null, Tls: true),
        CaFile = ca,
        Timeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public async Task An_untrusted_certificate_is_refused_and_the_given_ca_trusts_it_for_its_host_names_only()
    {
        (string cert, string key, _) = await TlsPeers.OpensslCertificateAsync(TestFolders.NewFolder("redis-tls-"));
        (string stranger, _, _) = await TlsPeers.OpensslCertificateAsync(TestFolders.NewFolder("redis-tls-other-"));
        await using RedisServer redis = await RedisServer.StartAsync(tls: (cert, key));

        var untrusted = await Assert.ThrowsAsync<RedisUnavailableException>(() => RedisConnector.ConnectAsync(At(redis), "marcel-test"));
        Assert.Equal($"Cannot reach Redis at 127.0.0.1:{redis.Port}: the TLS handshake failed or its certificate is not trusted (--redis-ca FILE trusts a private CA).", untrusted.Message);
        await Assert.ThrowsAsync<RedisUnavailableException>(() => RedisConnector.ConnectAsync(At(redis, stranger), "marcel-test"));

        await using (IConnectionMultiplexer trusted = await RedisConnector.ConnectAsync(At(redis, cert), "marcel-test"))
        {
            Assert.Equal("PONG", (await trusted.GetDatabase().ExecuteAsync("PING")).ToString());
        }

        // The right authority does not excuse a wrong host name (SslStream's verdict, which the check keeps).
        using X509Certificate2 offered = X509CertificateLoader.LoadCertificateFromFile(cert);
        X509Certificate2Collection roots = RedisConnector.TryLoadRoots(cert, out _)!;
        Assert.True(RedisConnector.ChainsTo(roots, offered, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(RedisConnector.ChainsTo(roots, offered, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
    }

    [Fact]
    public async Task Serve_over_rediss_exits_2_on_an_untrusted_certificate_and_joins_with_redis_ca()
    {
        (string cert, string key, _) = await TlsPeers.OpensslCertificateAsync(TestFolders.NewFolder("redis-tls-"));
        await using RedisServer redis = await RedisServer.StartAsync(tls: (cert, key));

        await using PeerProcess refused = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", redis.Url], null);
        Assert.Equal(2, await refused.WaitForExitAsync());
        Assert.Contains("certificate is not trusted (--redis-ca FILE", refused.Error, StringComparison.Ordinal);

        await using PeerProcess joined = MarcelCli.Start(["serve", "--chat", "--host", "127.0.0.1", "--port", "0", "--redis", redis.Url, "--redis-ca", cert, "--node", "alpha"], null);
        await joined.WaitForOutputAsync($"Room marcel on Redis at 127.0.0.1:{redis.Port}, as node alpha.");

        await using PeerProcess plain = MarcelCli.Start(["serve", "--chat", "--port", "0", "--redis", "redis://127.0.0.1:1", "--redis-ca", cert], null);
        Assert.Equal(1, await plain.WaitForExitAsync());
        Assert.Contains("--redis-ca goes with a rediss:// (TLS) URL.", plain.Error, StringComparison.Ordinal);
    }
}
