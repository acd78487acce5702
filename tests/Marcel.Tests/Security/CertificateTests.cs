using System.Security.Cryptography.X509Certificates;
using Marcel.Core.Security;
using Marcel.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Marcel.Tests.Security;

public class CertificateTests
{
    [Theory]
    [InlineData("AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("sha256 Fingerprint=AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("sha256:ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67 89")]
    public void A_fingerprint_is_read_as_people_paste_it(string text) =>
        Assert.Equal(Convert.FromHexString("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"), CertificateFingerprint.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("12:34")]
    [InlineData("zz:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89")]
    public void Anything_but_32_bytes_of_hex_is_no_fingerprint(string text) => Assert.Null(CertificateFingerprint.Parse(text));

    [Fact]
    public void The_self_signed_certificate_names_localhost_the_loopbacks_and_the_machine_for_server_auth()
    {
        using X509Certificate2 certificate = ServerCertificate.CreateSelfSigned("classroom-pc", DateTimeOffset.UtcNow);
        Assert.True(certificate.HasPrivateKey);
        Assert.NotNull(certificate.GetECDsaPublicKey());
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.True(certificate.MatchesHostname("::1"));
        Assert.True(certificate.MatchesHostname("classroom-pc"));
        var usage = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
    }

    [Fact]
    public void An_expired_stored_certificate_is_replaced_and_a_valid_one_reused()
    {
        string folder = TlsPeers.NewConfigFolder();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using X509Certificate2 first = ServerCertificate.LoadOrCreateSelfSigned(folder, out bool created, time);
        Assert.True(created);
        using X509Certificate2 again = ServerCertificate.LoadOrCreateSelfSigned(folder, out created, time);
        Assert.False(created);
        Assert.Equal(first.Thumbprint, again.Thumbprint);

        time.Advance(ServerCertificate.SelfSignedLifetime);
        using X509Certificate2 renewed = ServerCertificate.LoadOrCreateSelfSigned(folder, out created, time);
        Assert.True(created);
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
    }

    [Fact]
    public void A_damaged_stored_certificate_is_replaced()
    {
        string folder = TlsPeers.NewConfigFolder();
        File.WriteAllText(Path.Combine(folder, ServerCertificate.SelfSignedFileName), "not a certificate");
        using X509Certificate2 certificate = ServerCertificate.LoadOrCreateSelfSigned(folder, out bool created);
        Assert.True(created);
        Assert.True(certificate.HasPrivateKey);
    }
}
