using System.Net;

namespace Marcel.Web;

/// <summary>What the room may know of a browser that opened the WebSocket.</summary>
/// <param name="Remote">The peer's address and port, as TCP members show theirs in <c>/who</c>.</param>
/// <param name="Secure">True over HTTPS (WSS).</param>
/// <param name="Aborted">Fires once the WebSocket has given the connection up (closed or aborted) and the peer has hung up, or the connection is closed.</param>
public sealed record WebPeer(IPEndPoint? Remote, bool Secure, CancellationToken Aborted);
