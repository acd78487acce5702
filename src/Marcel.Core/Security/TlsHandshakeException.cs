namespace Marcel.Core.Security;

/// <summary>A client's TLS handshake failed; <see cref="Failure"/> says why, <see cref="ServerFingerprint"/> what was offered.</summary>
public sealed class TlsHandshakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TlsHandshakeException(TlsFailure failure, string? serverFingerprint, Exception? inner = null)
        : base($"TLS handshake failed: {failure}", inner)
    {
        Failure = failure;
        ServerFingerprint = serverFingerprint;
    }

    /// <summary>Creates the exception with no details (for serializers and analyzers).</summary>
    public TlsHandshakeException()
        : this(TlsFailure.Protocol, null)
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public TlsHandshakeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TlsHandshakeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Why the handshake failed.</summary>
    public TlsFailure Failure { get; }

    /// <summary>The SHA-256 of the certificate the server offered, when it offered one: shown so the user can decide to pin it.</summary>
    public string? ServerFingerprint { get; }
}
