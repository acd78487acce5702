using System.Net;
using System.Net.WebSockets;
using Marcel.Core.Hosting;
using Marcel.Core.Transport;
using Microsoft.Extensions.Logging;

namespace Marcel.Web.Transport;

/// <summary>
/// Each connection to the browser room's port, from <see cref="TcpServerHost"/>'s accept to its close: the access
/// check, Kestrel for its HTTP requests, then, once one of them opened the WebSocket, the socket's life on the
/// connection's own stream, with nothing of Kestrel's left behind (an idle member costs what a TCP member costs, plus
/// the WebSocket). The host's task for the connection is this one, so its shutdown waits for the member and aborts it late.
/// </summary>
internal sealed class BrowserConnections(
    HandOffListener kestrel, Func<WebSocket, WebPeer, Task> onSocket, Func<EndPoint?, bool>? admits, TcpKeepAlive? keepAlive, bool secure, ILogger logger)
{
    /// <summary>The host's delegate: the connection lives as long as the returned task.</summary>
    public async Task ServeAsync(IServerConnection connection)
    {
        if (admits is not null && !admits(connection.RemoteEndPoint))
        {
            return; // Closed without a word: a refused address gets neither page nor socket.
        }

        // TcpServerHost's connections are TcpServerConnections: Kestrel and the WebSocket run over its stream.
        if (await kestrel.ServeAsync((TcpServerConnection)connection, secure) is not { } detached)
        {
            return;
        }

        var stream = new MemberStream(detached.Stream, detached.ReadAhead);
        using WebSocket socket = WebSocket.CreateFromStream(stream, Options());
        try
        {
            await onSocket(socket, new WebPeer(detached.Remote, secure, stream.PeerGone));
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A peer that left without the closing handshake (tab closed, network gone): nothing more to send it.
            WebLog.SocketFailed(logger, detached.Remote, e);
        }
    }

    /// <summary>
    /// Pings every <see cref="TcpKeepAlive.Idle"/>, a peer that does not answer within the probes' bound dropped (the
    /// bound <c>--keepalive</c> sets for TCP members); without keepalive, neither. Never compressed (CRIME/BREACH).
    /// </summary>
    private WebSocketCreationOptions Options() => keepAlive is null
        ? new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero }
        : new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = keepAlive.Idle, KeepAliveTimeout = keepAlive.Interval * keepAlive.ProbeCount };
}
