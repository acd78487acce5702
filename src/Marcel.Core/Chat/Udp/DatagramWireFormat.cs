using System.Buffers;
using System.Globalization;
using System.Text;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Framing;
using Marcel.Core.Resources;

namespace Marcel.Core.Chat.Udp;

/// <summary>
/// Room events as datagrams: the same lines a TCP member reads (<c>&lt;name&gt; text</c>, notices, replies), packed whole
/// into datagrams of at most the maximum size (<see cref="EncodedEvent.MessageEnds"/> marks where each ends). A line
/// that cannot fit in one datagram (a TCP member may send 64 KiB) is never cut: a short line says what was not carried.
/// </summary>
internal sealed class DatagramWireFormat(LineEnding ending, int maxDatagramBytes) : IWireFormat
{
    private readonly byte[] _ending = LineEndingBytes.Of(ending).ToArray();

    /// <inheritdoc />
    public EncodedEvent Encode(RoomEvent roomEvent) => roomEvent switch
    {
        MemberSaid said => PackSaid(said),
        RoomNotice notice => Pack([notice.Text]),
        PrivateReply reply => Pack(reply.Lines),
        _ => EncodedEvent.Empty,
    };

    /// <summary>
    /// Said lines on the bytes, as the TCP format does: the prefix encoded once, no string per line (every line a
    /// datagram member says passes here once per room).
    /// </summary>
    private EncodedEvent PackSaid(MemberSaid said)
    {
        byte[] prefix = Encoding.UTF8.GetBytes("<" + said.From.Name + "> ");
        var bytes = new ArrayBufferWriter<byte>(said.Lines.Length + (said.Count * (prefix.Length + _ending.Length)));
        var datagrams = new Datagrams(new int[said.Count]);
        ReadOnlySpan<byte> lines = said.Lines.Span;
        while (!lines.IsEmpty)
        {
            int end = lines.IndexOf((byte)'\n');
            ReadOnlySpan<byte> text = lines[..end];
            lines = lines[(end + 1)..];
            int size = prefix.Length + text.Length + _ending.Length;
            if (size > maxDatagramBytes)
            {
                Add(bytes, ref datagrams, NotCarried(said.From.Name, size));
                continue;
            }

            datagrams.Before(bytes.WrittenCount, size, maxDatagramBytes);
            bytes.Write(prefix);
            bytes.Write(text);
            bytes.Write(_ending);
        }

        return datagrams.Finish(bytes);
    }

    private EncodedEvent Pack(IReadOnlyList<string> lines)
    {
        var bytes = new ArrayBufferWriter<byte>();
        var datagrams = new Datagrams(new int[lines.Count]);
        foreach (string line in lines)
        {
            int size = Encoding.UTF8.GetByteCount(line) + _ending.Length;
            Add(bytes, ref datagrams, size > maxDatagramBytes ? NotCarried(null, size) : line);
        }

        return datagrams.Finish(bytes);
    }

    private void Add(ArrayBufferWriter<byte> bytes, ref Datagrams datagrams, string line)
    {
        datagrams.Before(bytes.WrittenCount, Encoding.UTF8.GetByteCount(line) + _ending.Length, maxDatagramBytes);
        LineFramer.WriteLine(bytes, line, _ending);
    }

    private string NotCarried(string? from, int size) =>
        string.Format(CultureInfo.CurrentCulture, DatagramStrings.LineNotCarried, from ?? "?", size, maxDatagramBytes);

    /// <summary>Where the datagrams end: a new one starts before a line that would not fit in the current one.</summary>
    private struct Datagrams(int[] ends)
    {
        private int _count;
        private int _start;

        public void Before(int written, int size, int max)
        {
            if (written - _start + size > max)
            {
                ends[_count++] = written;
                _start = written;
            }
        }

        public readonly EncodedEvent Finish(ArrayBufferWriter<byte> bytes)
        {
            int count = _count;
            if (bytes.WrittenCount > _start)
            {
                ends[count++] = bytes.WrittenCount;
            }

            return new EncodedEvent(bytes.WrittenMemory, ends.AsMemory(0, count));
        }
    }
}
