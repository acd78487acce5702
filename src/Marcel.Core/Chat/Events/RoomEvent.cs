using System.Text.Json.Serialization;

namespace Marcel.Core.Chat.Events;

/// <summary>
/// Something that happened in the room, as data: never bytes of one wire format, never translated text when the
/// receiver's language can still choose. Events travel on the <see cref="Bus.IRoomBus"/> (they are plain records,
/// ready for System.Text.Json source generation: see <see cref="RoomEventJson"/>) and reach members wrapped in a
/// <see cref="Members.Delivery"/>, which caches their encoding per wire format.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MemberSaid), "said")]
[JsonDerivedType(typeof(MemberJoined), "joined")]
[JsonDerivedType(typeof(MemberLeft), "left")]
[JsonDerivedType(typeof(MemberRenamed), "renamed")]
[JsonDerivedType(typeof(KickRequested), "kick")]
[JsonDerivedType(typeof(RoomNotice), "notice")]
[JsonDerivedType(typeof(PrivateReply), "reply")]
public abstract record RoomEvent
{
    /// <summary>
    /// The member the event is not delivered to (a sender does not get its own lines back), or null. Only the
    /// events that reach members use it.
    /// </summary>
    [JsonIgnore]
    public virtual string? ExceptId => null;

    /// <summary>About how many bytes the event is on the wire (as a line client gets it): what a queue counts.</summary>
    [JsonIgnore]
    public abstract int Weight { get; }
}
