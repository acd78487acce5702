using System.Buffers;
using System.Text;
using Marcel.Core.Chat.Events;
using Marcel.Core.Chat.Members;

namespace Marcel.Web.Room;

/// <summary>
/// The room's events as WebSocket text: the same lines a TCP client reads (<c>&lt;name&gt; text</c>, notices, replies),
/// separated by <c>\n</c>, with no line ending after the last. One event is one message's worth of lines; a drain
/// joins a batch of them into one frame. Encoded once per event, shared by every browser.
/// </summary>
internal sealed class WebSocketWireFormat : IWireFormat
{
    /// <inheritdoc />
    public EncodedEvent Encode(RoomEvent roomEvent) => roomEvent switch
    {
        MemberSaid said => Message(Said(said)),
        RoomNotice notice => Message(Encoding.UTF8.GetBytes(notice.Text)),
        PrivateReply reply => Message(Encoding.UTF8.GetBytes(string.Join('\n', reply.Lines))),
        _ => EncodedEvent.Empty,
    };

    private static EncodedEvent Message(byte[] text) => new(text, ReadOnlyMemory<int>.Empty);

    /// <summary><c>&lt;name&gt; line</c> for each of the batch's lines (each ends with <c>\n</c> in <see cref="MemberSaid.Lines"/>).</summary>
    private static byte[] Said(MemberSaid said)
    {
        byte[] prefix = Encoding.UTF8.GetBytes($"<{said.From.Name}> ");
        var output = new ArrayBufferWriter<byte>(said.Lines.Length + (said.Count * prefix.Length));
        ReadOnlySpan<byte> rest = said.Lines.Span;
        for (int end; (end = rest.IndexOf((byte)'\n')) >= 0; rest = rest[(end + 1)..])
        {
            if (output.WrittenCount > 0)
            {
                output.Write("\n"u8);
            }

            output.Write(prefix);
            output.Write(rest[..end]);
        }

        return output.WrittenSpan.ToArray();
    }
}
