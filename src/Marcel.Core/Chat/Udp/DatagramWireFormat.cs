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
        MemberSaid said => Pack(said.Texts().Select(text => "<" + said.From.Name + "> " + text), said.From.Name),
        RoomNotice notice => Pack([notice.Text], null),
        PrivateReply reply => Pack(reply.Lines, null),
        _ => EncodedEvent.Empty,
    };

    private EncodedEvent Pack(IEnumerable<string> lines, string? from)
    {
        var bytes = new ArrayBufferWriter<byte>();
        var ends = new List<int>();
        int start = 0;
        foreach (string line in lines)
        {
            string text = line;
            int size = Encoding.UTF8.GetByteCount(text) + _ending.Length;
            if (size > maxDatagramBytes)
            {
                text = string.Format(CultureInfo.CurrentCulture, DatagramStrings.LineNotCarried, from ?? "?", size, maxDatagramBytes);
                size = Encoding.UTF8.GetByteCount(text) + _ending.Length;
            }

            if (bytes.WrittenCount - start + size > maxDatagramBytes)
            {
                ends.Add(bytes.WrittenCount);
                start = bytes.WrittenCount;
            }

            LineFramer.WriteLine(bytes, text, _ending);
        }

        if (bytes.WrittenCount > start)
        {
            ends.Add(bytes.WrittenCount);
        }

        return new EncodedEvent(bytes.WrittenMemory, ends.ToArray());
    }
}
