using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Marcel.Core.Security;

/// <summary>
/// TLS as transport middleware on a Kestrel listener: the connection handler behind it sees plain bytes and never
/// knows TLS is there, so the dialogue serves plain and TLS clients with the same code. (The chat room's
/// <see cref="Hosting.SocketServerHost"/> does the same with an <see cref="System.Net.Security.SslStream"/> of its own.)
/// </summary>
public static class TlsListener
{
    /// <summary>A <c>configureListener</c> hook for <see cref="Hosting.LineServerHost"/> that puts TLS in front of the handler.</summary>
    public static Action<ListenOptions> Configure(TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return listener =>
        {
            listener.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = options.Certificate,
                HandshakeTimeout = options.HandshakeTimeout,
                ClientCertificateMode = ClientCertificateMode.NoCertificate,
            });
            // Inside TLS, after the handler: what it wrote goes out first, then close_notify (Kestrel sends none).
            listener.Use(next => async connection =>
            {
                await next(connection);
                if (connection.Features.Get<ISslStreamFeature>()?.SslStream is { } tls)
                {
                    try
                    {
                        await connection.Transport.Output.FlushAsync();
                    }
                    catch (Exception e) when (e is InvalidOperationException or IOException)
                    {
                        // The handler completed its output (already flushed), or the peer is gone.
                    }

                    await TlsGoodbye.SayAsync(tls);
                }
            });
        };
    }
}
