using System.Buffers;
using System.Text;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;
using Marcel.Core.Framing;

namespace Marcel.Core.Chat.Tcp;

/// <summary>
/// Lines over a byte stream, as <c>ncat --chat</c> writes them: a said line is <c>&lt;name&gt; text</c>, notices and
/// replies are their text, each followed by the configured line ending. A batch of lines becomes one buffer.
/// </summary>
internal sealed class LineWireFormat(LineEnding ending) : IWireFormat
{
    private readonly byte[] _ending = LineEndingBytes.Of(ending).ToArray();

    /// <inheritdoc />
    public EncodedEvent Encode(RoomEvent roomEvent) => roomEvent switch
    {
        MemberSaid said => new EncodedEvent(EncodeSaid(said), ReadOnlyMemory<int>.Empty),
        RoomNotice notice => Lines([notice.Text]),
        PrivateReply reply => Lines(reply.Lines),
        _ => EncodedEvent.Empty,
    };

    /// <summary>Each line as <c>&lt;name&gt; </c>, its bytes, the ending: sizes known first, one array, no per-line allocation.</summary>
    private byte[] EncodeSaid(MemberSaid said)
    {
        byte[] prefix = Encoding.UTF8.GetBytes("<" + said.From.Name + "> ");
        ReadOnlySpan<byte> lines = said.Lines.Span;
        byte[] output = new byte[lines.Length + (said.Count * (prefix.Length + _ending.Length - 1))];
        Span<byte> to = output;
        while (!lines.IsEmpty)
        {
            int end = lines.IndexOf((byte)'\n');
            prefix.CopyTo(to);
            lines[..end].CopyTo(to[prefix.Length..]);
            _ending.CopyTo(to[(prefix.Length + end)..]);
            to = to[(prefix.Length + end + _ending.Length)..];
            lines = lines[(end + 1)..];
        }

        return output;
    }

    private EncodedEvent Lines(IReadOnlyList<string> lines)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (string line in lines)
        {
            LineFramer.WriteLine(buffer, line, _ending);
        }

        return new EncodedEvent(buffer.WrittenMemory, ReadOnlyMemory<int>.Empty);
    }
}
