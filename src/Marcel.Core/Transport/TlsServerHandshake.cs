using System.Net.Security;
using Marcel.Core.Security;

namespace Marcel.Core.Transport;

/// <summary>
/// The server's side of TLS, beside the client's (<see cref="TlsClientHandshake"/>): wraps an accepted connection's
/// stream before the handler sees a byte, so the same handler serves plain and TLS clients.
/// </summary>
internal sealed class TlsServerHandshake
{
    private readonly SslServerAuthenticationOptions _options;
    private readonly TimeSpan _timeout;

    public TlsServerHandshake(TlsServerOptions options)
    {
        options.Validate();
        _timeout = options.HandshakeTimeout;
        _options = new SslServerAuthenticationOptions
        {
            // Built once: every handshake shares the certificate and its chain.
            ServerCertificateContext = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null),
            ClientCertificateRequired = false,
        };
    }

    /// <summary>
    /// Completes the handshake on <paramref name="connection"/> within the handshake timeout, or before
    /// <paramref name="stopping"/> fires, and puts TLS in front of its pipes; throws (and closes nothing) when it fails.
    /// </summary>
    public async Task AuthenticateAsync(TcpServerConnection connection, CancellationToken stopping)
    {
        var tls = new SslStream(connection.Stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(_timeout);
        try
        {
            await tls.AuthenticateAsServerAsync(_options, deadline.Token);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }

        connection.UseTls(tls);
    }
}
