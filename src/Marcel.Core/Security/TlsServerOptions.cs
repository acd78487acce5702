using System.Security.Cryptography.X509Certificates;

namespace Marcel.Core.Security;

/// <summary>How a server speaks TLS.</summary>
public sealed record TlsServerOptions
{
    /// <summary>The server's certificate, with its private key.</summary>
    public required X509Certificate2 Certificate { get; init; }

    /// <summary>
    /// How long a client may take to complete the handshake before it is dropped; it holds nothing else up meanwhile.
    /// Default 10 s; at most <see cref="HandshakeTimeoutCap"/>.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>The default of <see cref="HandshakeTimeout"/>: 10 s.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Hard cap on <see cref="HandshakeTimeout"/>: a silent stranger must not keep a socket for long.</summary>
    public static readonly TimeSpan HandshakeTimeoutCap = TimeSpan.FromMinutes(2);

    /// <summary>Throws when an option is out of its documented range.</summary>
    public TlsServerOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Certificate);
        if (!Certificate.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate has no private key.", nameof(Certificate));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero, nameof(HandshakeTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HandshakeTimeout, HandshakeTimeoutCap, nameof(HandshakeTimeout));
        return this;
    }
}
