using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Marcel.Core.Security;

/// <summary>Where a server's certificate comes from: PEM files, a PKCS#12 file, or a self-signed one kept for next time.</summary>
public static class ServerCertificate
{
    /// <summary>The file name of the self-signed certificate in the configuration folder.</summary>
    public const string SelfSignedFileName = "server-certificate.pfx";

    /// <summary>How long a created self-signed certificate is valid. Two years: pins stay stable, keys still rotate.</summary>
    public static readonly TimeSpan SelfSignedLifetime = TimeSpan.FromDays(730);

    /// <summary>The default folder for the self-signed certificate: <see cref="ConfigFolder.Default"/>.</summary>
    public static string DefaultFolder => ConfigFolder.Default;

    /// <summary>Loads a PEM certificate and its PEM private key (<paramref name="keyFile"/> null: the key is in the same file).</summary>
    public static X509Certificate2 LoadPem(string certificateFile, string? keyFile)
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        return RoundTrip(pem);
    }

    /// <summary>Loads a PKCS#12 (<c>.pfx</c>/<c>.p12</c>) file with its private key.</summary>
    public static X509Certificate2 LoadPkcs12(string file, string? password) =>
        X509CertificateLoader.LoadPkcs12FromFile(file, password, X509KeyStorageFlags.Exportable);

    /// <summary>
    /// Reuses the self-signed certificate stored in <paramref name="folder"/> while it is valid, or creates and stores
    /// a new one (readable by the owner only). <paramref name="created"/> tells which happened.
    /// </summary>
    public static X509Certificate2 LoadOrCreateSelfSigned(string folder, out bool created, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        DateTimeOffset now = (time ?? TimeProvider.System).GetUtcNow();
        string file = Path.Combine(folder, SelfSignedFileName);
        if (File.Exists(file))
        {
            try
            {
                X509Certificate2 existing = LoadPkcs12(file, password: null);
                if (existing.HasPrivateKey && existing.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1))
                {
                    created = false;
                    return existing;
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable or damaged: replaced below, as if it were not there.
            }
        }

        X509Certificate2 certificate = CreateSelfSigned(Environment.MachineName, now);
        Directory.CreateDirectory(folder);
        Save(certificate, file);
        created = true;
        return certificate;
    }

    /// <summary>
    /// A new self-signed server certificate: ECDSA P-256, for localhost, 127.0.0.1, ::1 and <paramref name="machineName"/>,
    /// with the serverAuth usage.
    /// </summary>
    public static X509Certificate2 CreateSelfSigned(string machineName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={(string.IsNullOrEmpty(machineName) ? "localhost" : machineName)}, O=Marcel", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (!string.IsNullOrEmpty(machineName) && !string.Equals(machineName, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(machineName);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        using X509Certificate2 created = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(SelfSignedLifetime));
        return RoundTrip(created);
    }

    // An ephemeral key (PEM, CreateSelfSigned) cannot serve TLS on every platform; a PKCS#12 round trip gives a stored one.
    private static X509Certificate2 RoundTrip(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);

    private static void Save(X509Certificate2 certificate, string file)
    {
        byte[] pfx = certificate.Export(X509ContentType.Pkcs12);
        string temporary = file + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // The private key: readable by its owner only, from the first byte written.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(pfx);
        }

        File.Move(temporary, file, overwrite: true);
    }
}
