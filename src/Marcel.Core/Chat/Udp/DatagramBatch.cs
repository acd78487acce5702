using Marcel.Core.Chat.Members;

namespace Marcel.Core.Chat.Udp;

/// <summary>
/// The datagrams one drain pass sends: the batch's messages (each whole lines, within the largest datagram) in queue
/// order, consecutive ones joined into one datagram while they fit, so a member the room got ahead of catches up in
/// few datagrams, as a TCP member's queued lines leave in one write. A message is never cut or reordered.
/// </summary>
internal static class DatagramBatch
{
    /// <summary>
    /// The datagrams for <paramref name="batch"/>, joined up to <paramref name="maxBytes"/> (0: every message alone). A
    /// joined datagram is a new array, never a reused one: the sender may hold it until the peer shows it receives.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> Datagrams(ReadOnlySpan<EncodedEvent> batch, int maxBytes)
    {
        var messages = new List<ReadOnlyMemory<byte>>();
        foreach (EncodedEvent encoded in batch)
        {
            int start = 0;
            foreach (int end in encoded.MessageEnds.Span)
            {
                messages.Add(encoded.Bytes[start..end]);
                start = end;
            }
        }

        var datagrams = new List<ReadOnlyMemory<byte>>(messages.Count);
        for (int first = 0; first < messages.Count;)
        {
            int next = first + 1, length = messages[first].Length;
            while (next < messages.Count && length + messages[next].Length <= maxBytes)
            {
                length += messages[next++].Length;
            }

            datagrams.Add(next == first + 1 ? messages[first] : Join(messages, first, next, length));
            first = next;
        }

        return datagrams;
    }

    private static byte[] Join(List<ReadOnlyMemory<byte>> messages, int first, int next, int length)
    {
        byte[] datagram = new byte[length];
        int at = 0;
        for (int i = first; i < next; i++)
        {
            messages[i].Span.CopyTo(datagram.AsSpan(at));
            at += messages[i].Length;
        }

        return datagram;
    }
}
