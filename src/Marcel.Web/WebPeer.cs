using System.Net;

namespace Marcel.Web;

/// <summary>What the room may know of a browser that opened the WebSocket.</summary>
/// <param name="Remote">The peer's address and port, as TCP members show theirs in <c>/who</c>.</param>
/// <param name="Secure">True over HTTPS (WSS).</param>
/// <param name="Aborted">Fires once the peer is found gone: a read of its connection met the end of the stream or a reset (the WebSocket's own reads, or, once the WebSocket has given the connection up, the reads that drop what the peer still sends until it hangs up).</param>
public sealed record WebPeer(IPEndPoint? Remote, bool Secure, CancellationToken Aborted);
