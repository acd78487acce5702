using System.Net.Security;
using System.Security.Authentication;
using Marcel.Core.Security;

namespace Marcel.Core.Transport;

/// <summary>Wraps a connected stream in TLS before anything is sent; a refusal becomes a <see cref="TlsHandshakeException"/>.</summary>
internal static class TlsClientHandshake
{
    public static async Task<SslStream> AuthenticateAsync(Stream inner, string host, TlsClientOptions options, CancellationToken cancellationToken)
    {
        var check = new ServerCertificateCheck(options);
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    // SNI and the name check want a host name; brackets of an IPv6 literal are not part of it.
                    TargetHost = options.TargetHost ?? host.Trim('[', ']'),
                    RemoteCertificateValidationCallback = check.Validate,
                },
                cancellationToken);
            return tls;
        }
        catch (AuthenticationException e)
        {
            await tls.DisposeAsync();
            throw new TlsHandshakeException(check.Refusal ?? TlsFailure.Protocol, check.OfferedFingerprint, e);
        }
        catch (IOException e)
        {
            await tls.DisposeAsync();
            throw new TlsHandshakeException(check.Refusal ?? TlsFailure.Protocol, check.OfferedFingerprint, e);
        }
        catch (OperationCanceledException)
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
