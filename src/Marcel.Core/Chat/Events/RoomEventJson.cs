using System.Text.Json.Serialization;

namespace Marcel.Core.Chat.Events;

/// <summary>
/// Source-generated JSON for room events, for a bus that crosses processes (no reflection: NativeAOT-safe).
/// <see cref="MemberSaid.Lines"/> travels as base64.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RoomEvent))]
public sealed partial class RoomEventJson : JsonSerializerContext;
