using System.Net;

namespace Marcel.Web;

/// <summary>What the room may know of a browser that opened the WebSocket.</summary>
/// <param name="Remote">The peer's address and port, as TCP members show theirs in <c>/who</c>.</param>
/// <param name="Secure">True over HTTPS (WSS).</param>
/// <param name="Aborted">Fires when the connection is gone (peer left, server aborted it).</param>
public sealed record WebPeer(IPEndPoint? Remote, bool Secure, CancellationToken Aborted);
