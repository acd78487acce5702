using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Marcel.Core.Chat.Events;

namespace Marcel.Redis;

/// <summary>
/// Room events as the bytes that follow <see cref="RedisEventChannel"/>'s envelope header. Lines said, the bulk of the
/// traffic, travel as their own UTF-8 bytes behind a small binary header, so a receiving server never decodes JSON
/// nor base64 for them and allocates what the local path does (one event, its identity cached); the rare events
/// (joins, leaves, renames, kicks) travel as JSON, simplest to keep in step with their records.
/// </summary>
/// <remarks>
/// Body, after the envelope (<see cref="RedisEventChannel"/> puts the format version first):
/// <code>
/// [1 byte: kind]  1 = lines said, 2 = another event as JSON (RoomEventJson)
/// lines said:     [2: identity length, big-endian][identity][4: line count, big-endian][the lines, UTF-8, each ended by \n]
/// identity:       id, name, kind, node, remote; each [2: byte length, big-endian][UTF-8]; a remote of length 0xFFFF is null
/// </code>
/// Not thread-safe on the receiving side: <see cref="Decode"/> is called one message at a time (the channel's order).
/// </remarks>
internal sealed class RedisEventCodec
{
    /// <summary>Kind byte of lines said.</summary>
    public const byte SaidKind = 1;

    /// <summary>Kind byte of any other event, as JSON.</summary>
    public const byte JsonKind = 2;

    /// <summary>Senders remembered; past this the cache starts afresh (members leaving are forgotten one by one before).</summary>
    public const int MaxCachedSenders = 65_536;

    private const ushort NullField = ushort.MaxValue;
    private const int MaxField = ushort.MaxValue - 1;
    private const int MaxCachedId = 256;

    // Sender id → its identity and the bytes it came as, so a sender's lines reuse one MemberIdentity.
    private readonly Dictionary<string, CachedSender> _senders = new(StringComparer.Ordinal);

    /// <summary>Senders whose identity is cached (tests).</summary>
    public int CachedSenders => _senders.Count;

    /// <summary>
    /// <paramref name="roomEvent"/> encoded into a new array after <paramref name="reserve"/> bytes left for the
    /// envelope's header, so it is copied once on its way to Redis.
    /// </summary>
    public static byte[] Encode(RoomEvent roomEvent, int reserve)
    {
        if (roomEvent is MemberSaid said)
        {
            MemberIdentity from = said.From;
            int identity = FieldLength(from.Id) + FieldLength(from.Name) + FieldLength(from.Kind) + FieldLength(from.Node) + FieldLength(from.Remote);
            byte[] bytes = new byte[reserve + 1 + 2 + identity + 4 + said.Lines.Length];
            Span<byte> span = bytes.AsSpan(reserve);
            span[0] = SaidKind;
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], checked((ushort)identity));
            int at = 3;
            at += WriteField(span[at..], from.Id);
            at += WriteField(span[at..], from.Name);
            at += WriteField(span[at..], from.Kind);
            at += WriteField(span[at..], from.Node);
            at += WriteField(span[at..], from.Remote);
            BinaryPrimitives.WriteInt32BigEndian(span[at..], said.Count);
            said.Lines.Span.CopyTo(span[(at + 4)..]);
            return bytes;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(roomEvent, RoomEventJson.Default.RoomEvent);
        byte[] envelope = new byte[reserve + 1 + json.Length];
        envelope[reserve] = JsonKind;
        json.CopyTo(envelope, reserve + 1);
        return envelope;
    }

    /// <summary>The event <paramref name="body"/> holds, or null when it is malformed.</summary>
    /// <remarks><see cref="MemberSaid.Lines"/> is a slice of <paramref name="body"/>: the caller must not reuse it.</remarks>
    public RoomEvent? Decode(ReadOnlyMemory<byte> body)
    {
        ReadOnlySpan<byte> span = body.Span;
        if (span.IsEmpty)
        {
            return null;
        }

        return span[0] switch
        {
            SaidKind => DecodeSaid(body),
            JsonKind => DecodeJson(span[1..]),
            _ => null,
        };
    }

    private MemberSaid? DecodeSaid(ReadOnlyMemory<byte> body)
    {
        ReadOnlySpan<byte> span = body.Span;
        if (span.Length < 3)
        {
            return null;
        }

        int identityLength = BinaryPrimitives.ReadUInt16BigEndian(span[1..]);
        int linesAt = 3 + identityLength + 4;
        if (span.Length <= linesAt)
        {
            return null;
        }

        ReadOnlySpan<byte> identity = span.Slice(3, identityLength);
        int count = BinaryPrimitives.ReadInt32BigEndian(span[(3 + identityLength)..]);
        ReadOnlySpan<byte> lines = span[linesAt..];
        // What the local path guarantees of MemberSaid.Lines, checked on bytes from another program (both vectorized).
        if (count < 1 || lines[^1] != (byte)'\n' || lines.Count((byte)'\n') != count || !Utf8.IsValid(lines))
        {
            return null;
        }

        MemberIdentity? from = Sender(identity);
        return from is null ? null : new MemberSaid(from, body[linesAt..], count);
    }

    private static RoomEvent? DecodeJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, RoomEventJson.Default.RoomEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Forgets a sender that left (its next line, if any, is decoded afresh).</summary>
    public void Forget(string id) => _senders.Remove(id);

    /// <summary>The identity <paramref name="encoded"/> describes: the cached one when its bytes are the same.</summary>
    private MemberIdentity? Sender(ReadOnlySpan<byte> encoded)
    {
        int at = 0;
        if (!TryReadText(encoded, ref at, out ReadOnlySpan<byte> id, out _) || id.IsEmpty || id.Length > MaxCachedId)
        {
            return Parse(encoded); // Unusual: decoded, not cached.
        }

        // The id looked up without making a string of it (an alternate lookup on chars).
        Span<char> idChars = stackalloc char[MaxCachedId];
        if (Utf8.ToUtf16(id, idChars, out _, out int written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            return null;
        }

        if (_senders.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(idChars[..written], out CachedSender? cached)
            && encoded.SequenceEqual(cached.Encoded))
        {
            return cached.Identity;
        }

        MemberIdentity? parsed = Parse(encoded);
        if (parsed is not null)
        {
            if (_senders.Count >= MaxCachedSenders)
            {
                _senders.Clear();
            }

            _senders[parsed.Id] = new CachedSender(encoded.ToArray(), parsed);
        }

        return parsed;
    }

    private static MemberIdentity? Parse(ReadOnlySpan<byte> encoded)
    {
        int at = 0;
        if (!TryReadText(encoded, ref at, out ReadOnlySpan<byte> id, out bool idNull) || idNull || id.IsEmpty
            || !TryReadText(encoded, ref at, out ReadOnlySpan<byte> name, out bool nameNull) || nameNull || name.IsEmpty
            || !TryReadText(encoded, ref at, out ReadOnlySpan<byte> kind, out bool kindNull) || kindNull
            || !TryReadText(encoded, ref at, out ReadOnlySpan<byte> node, out bool nodeNull) || nodeNull
            || !TryReadText(encoded, ref at, out ReadOnlySpan<byte> remote, out bool remoteNull)
            || at != encoded.Length)
        {
            return null;
        }

        return new MemberIdentity(Text(id), Text(name), Text(kind), Text(node), remoteNull ? null : Text(remote));
    }

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    /// <summary>Reads one field at <paramref name="at"/> and moves past it; false when it is cut short or not UTF-8.</summary>
    private static bool TryReadText(ReadOnlySpan<byte> encoded, ref int at, out ReadOnlySpan<byte> field, out bool isNull)
    {
        field = default;
        isNull = false;
        if (encoded.Length - at < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(encoded[at..]);
        at += 2;
        if (length == NullField)
        {
            isNull = true;
            return true;
        }

        if (encoded.Length - at < length)
        {
            return false;
        }

        field = encoded.Slice(at, length);
        at += length;
        return Utf8.IsValid(field);
    }

    private static int FieldLength(string? value)
    {
        if (value is null)
        {
            return 2;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        return length <= MaxField ? 2 + length : throw new ArgumentException("A member's identity field is too long for the bus.", nameof(value));
    }

    private static int WriteField(Span<byte> destination, string? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, NullField);
            return 2;
        }

        int length = Encoding.UTF8.GetBytes(value, destination[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
        return 2 + length;
    }

    private sealed record CachedSender(byte[] Encoded, MemberIdentity Identity);
}
