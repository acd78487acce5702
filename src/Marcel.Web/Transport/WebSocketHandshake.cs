using System.Security.Cryptography;
using System.Text;

namespace Marcel.Web.Transport;

/// <summary>The server's side of the WebSocket opening handshake (RFC 6455 §4.2.2), once the request has been checked.</summary>
internal static class WebSocketHandshake
{
    // RFC 6455 §1.3: appended to the client's Sec-WebSocket-Key before hashing.
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>
    /// The <c>101 Switching Protocols</c> for a request with this <c>Sec-WebSocket-Key</c>: no extension (compression
    /// stays off: CRIME/BREACH, so a <c>permessage-deflate</c> offer is declined by saying nothing), no subprotocol.
    /// </summary>
    public static byte[] SwitchingProtocols(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + Accept(key) + "\r\n\r\n");

    /// <summary><c>Sec-WebSocket-Accept</c>: base64(SHA-1(key + GUID)), §4.2.2 step 5.4. SHA-1 proves the server read the key; it protects nothing.</summary>
    public static string Accept(string key) =>
#pragma warning disable CA5350 // The protocol names SHA-1; nothing here relies on its strength.
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid)));
#pragma warning restore CA5350
}
