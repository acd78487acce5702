using System.Net;

namespace Marcel.Web.Transport;

/// <summary>A connection a request handler took from Kestrel once it had sent the WebSocket's <c>101</c>.</summary>
/// <param name="Stream">The connection's stream (TLS already undone), owned by the host.</param>
/// <param name="ReadAhead">Bytes Kestrel had read past the upgrade request (frames a client sent without waiting), or null.</param>
/// <param name="Remote">The peer's address and port.</param>
internal sealed record DetachedSocket(Stream Stream, byte[]? ReadAhead, IPEndPoint? Remote);
