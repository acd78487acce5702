using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Marcel.Core.Security;

/// <summary>SHA-256 fingerprints of certificates, the form people compare and pin.</summary>
public static class CertificateFingerprint
{
    /// <summary>The SHA-256 of the certificate's DER bytes as colon-separated upper-case hex (<c>AB:CD:…</c>), as openssl prints it.</summary>
    public static string Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// Reads a fingerprint as people paste it: hex with or without colons or spaces, any case, optionally prefixed
    /// <c>sha256:</c> or <c>SHA256 Fingerprint=</c>. Returns null when it is not 32 bytes of hex.
    /// </summary>
    public static byte[]? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        int equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0) value = value[(equals + 1)..];
        if (value.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)) value = value[7..];
        string hex = new(value.Where(c => c is not (':' or ' ' or '-')).ToArray());
        if (hex.Length != 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="certificate"/>'s SHA-256 equals <paramref name="expected"/> (compared in constant time).</summary>
    public static bool Matches(X509Certificate certificate, ReadOnlySpan<byte> expected)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), expected);
    }
}
