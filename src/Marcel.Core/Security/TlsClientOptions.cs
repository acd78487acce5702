namespace Marcel.Core.Security;

/// <summary>How a client checks the server's certificate.</summary>
public sealed record TlsClientOptions
{
    /// <summary>
    /// The SHA-256 of the one certificate to accept (see <see cref="CertificateFingerprint.Parse"/>); chain and name are then
    /// not checked: the friendly way to trust a self-signed server on a LAN. Default null: the system's trust store decides.
    /// </summary>
    public byte[]? PinnedFingerprint { get; init; }

    /// <summary>Accept any certificate: encrypted, but not authenticated. Default false.</summary>
    public bool Insecure { get; init; }

    /// <summary>The name the certificate must carry; default null: the host name connected to.</summary>
    public string? TargetHost { get; init; }
}
