namespace Marcel.Core.Security;

/// <summary>Why a TLS handshake did not succeed.</summary>
public enum TlsFailure
{
    /// <summary>The certificate does not chain to a trusted root (self-signed, unknown issuer, expired…).</summary>
    Untrusted,

    /// <summary>The certificate is valid but for another name.</summary>
    NameMismatch,

    /// <summary>A fingerprint was pinned and the certificate does not have it.</summary>
    FingerprintMismatch,

    /// <summary>The server sent no certificate.</summary>
    NoCertificate,

    /// <summary>The handshake did not finish within the time allowed.</summary>
    TimedOut,

    /// <summary>The peer broke off or does not speak TLS.</summary>
    Protocol,
}
