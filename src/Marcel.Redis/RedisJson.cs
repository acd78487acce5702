using System.Text.Json.Serialization;
using Marcel.Core.Chat.Events;

namespace Marcel.Redis;

/// <summary>Source-generated JSON for the identities kept in Redis (NativeAOT-safe, no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MemberIdentity))]
internal sealed partial class RedisJson : JsonSerializerContext;
