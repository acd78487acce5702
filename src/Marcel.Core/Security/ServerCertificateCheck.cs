using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Marcel.Core.Security;

/// <summary>
/// Decides whether a client accepts the server's certificate, and remembers why not, so the failure can be told in
/// one clear line instead of SslStream's generic "the remote certificate is invalid".
/// </summary>
internal sealed class ServerCertificateCheck(TlsClientOptions options)
{
    /// <summary>Why the last certificate was refused; null when it was accepted or none was checked yet.</summary>
    public TlsFailure? Refusal { get; private set; }

    /// <summary>The fingerprint of the certificate the server offered.</summary>
    public string? OfferedFingerprint { get; private set; }

    /// <summary>The callback for <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = TlsFailure.NoCertificate;
            return false;
        }

        using (var offered = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()))
        {
            OfferedFingerprint = CertificateFingerprint.Of(offered);
        }

        Refusal = Decide(certificate, errors);
        return Refusal is null;
    }

    private TlsFailure? Decide(X509Certificate certificate, SslPolicyErrors errors)
    {
        if (options.PinnedFingerprint is { } pinned)
        {
            return CertificateFingerprint.Matches(certificate, pinned) ? null : TlsFailure.FingerprintMismatch;
        }

        if (options.Insecure)
        {
            return null;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return TlsFailure.Untrusted;
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? TlsFailure.NameMismatch
            : errors == SslPolicyErrors.None ? null
            : TlsFailure.NoCertificate;
    }
}
