using System.Net.Security;
using System.Net.Sockets;

namespace Marcel.Core.Security;

/// <summary>
/// Ends a server's TLS session with a close_notify alert, so the peer knows the end is the server's choice and not a
/// truncation (OpenSSL reports "unexpected eof while reading" without it). Bounded: a peer that does not read gets
/// the plain close.
/// </summary>
internal static class TlsGoodbye
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>Sends close_notify on <paramref name="tls"/>; never throws (a peer already gone gets nothing).</summary>
    public static async Task SayAsync(SslStream tls)
    {
        try
        {
            await tls.ShutdownAsync().WaitAsync(Timeout);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidOperationException or TimeoutException)
        {
            // The peer is gone or not reading (ObjectDisposedException is an InvalidOperationException): the socket is closed all the same.
        }
    }
}
