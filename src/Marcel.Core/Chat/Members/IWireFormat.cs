using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Members;

/// <summary>
/// How one kind of member puts events on its wire: lines over TCP, WebSocket text frames, datagrams. One instance per
/// format and room; a <see cref="Delivery"/> asks it at most once per event, and every member of that format shares
/// the result.
/// </summary>
public interface IWireFormat
{
    /// <summary>The bytes <paramref name="roomEvent"/> is for this format (called once per event and format, from any thread).</summary>
    EncodedEvent Encode(RoomEvent roomEvent);
}
