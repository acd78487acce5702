using Marcel.Core.Chat.Events;

namespace Marcel.Core.Chat.Members;

/// <summary>
/// One event on its way to the local members, with its encoding cached per wire format: the first member of a
/// format to drain it encodes it, every other member of that format reuses the same bytes. Made once per event on
/// each node, whatever the number of receivers.
/// </summary>
public sealed class Delivery
{
    private Entry[] _encodings = [];

    /// <summary>Wraps <paramref name="roomEvent"/> for delivery.</summary>
    public Delivery(RoomEvent roomEvent)
    {
        Event = roomEvent ?? throw new ArgumentNullException(nameof(roomEvent));
        Weight = roomEvent.Weight;
    }

    /// <summary>The event.</summary>
    public RoomEvent Event { get; }

    /// <summary>What a queue counts for it, in bytes (fixed, so what is added is exactly what is taken off).</summary>
    public int Weight { get; }

    /// <summary>The event in <paramref name="format"/>, encoded on first use. Thread-safe; lock-free once encoded.</summary>
    public EncodedEvent EncodedFor(IWireFormat format)
    {
        Entry[] entries = Volatile.Read(ref _encodings);
        foreach (Entry entry in entries)
        {
            if (ReferenceEquals(entry.Format, format))
            {
                return entry.Encoded;
            }
        }

        return Add(format);
    }

    private EncodedEvent Add(IWireFormat format)
    {
        lock (this)
        {
            foreach (Entry entry in _encodings)
            {
                if (ReferenceEquals(entry.Format, format))
                {
                    return entry.Encoded;
                }
            }

            EncodedEvent encoded = format.Encode(Event);
            Volatile.Write(ref _encodings, [.. _encodings, new Entry(format, encoded)]);
            return encoded;
        }
    }

    private readonly record struct Entry(IWireFormat Format, EncodedEvent Encoded);
}
