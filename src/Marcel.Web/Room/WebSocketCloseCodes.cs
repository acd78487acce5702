using System.Net.WebSockets;
using Marcel.Core.Chat;

namespace Marcel.Web.Room;

/// <summary>
/// The close code a browser member gets for each way of leaving (RFC 6455 §7.4.1). The page comes back by itself
/// after 1001 (server going away) and 1013 (full, try later), not after the others: the user left or was sent away.
/// </summary>
internal static class WebSocketCloseCodes
{
    /// <summary>1013 Try Again Later (RFC 6455 registry): the room is full.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>The code and a short reason (at most 123 bytes) for a member leaving for <paramref name="reason"/>.</summary>
    public static (WebSocketCloseStatus Status, string Description) For(ChatCloseReason reason) => reason switch
    {
        ChatCloseReason.Shutdown => (WebSocketCloseStatus.EndpointUnavailable, "server shutting down"),
        ChatCloseReason.TooLong => (WebSocketCloseStatus.MessageTooBig, "message too long"),
        ChatCloseReason.Kicked => (WebSocketCloseStatus.PolicyViolation, "removed by the operator"),
        ChatCloseReason.Idle => (WebSocketCloseStatus.NormalClosure, "idle too long"),
        _ => (WebSocketCloseStatus.NormalClosure, "goodbye"),
    };
}
