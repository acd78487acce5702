using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Marcel.Core.Chat.Events;
using Marcel.Core.Framing;

namespace Marcel.Core.Chat.Members;

/// <summary>
/// Collects the lines one member sends at once into one <see cref="MemberSaid"/>: one event, one buffer, one
/// enqueue per receiver for the whole batch. Tells commands and blank lines from messages on the bytes, so a
/// message is never decoded to a string. For every kind of member whose input is lines of UTF-8.
/// </summary>
/// <remarks>Not thread-safe: one per member's read loop. Holds a pooled buffer only while a batch is open.</remarks>
public sealed class SaidBatch
{
    /// <summary>A batch this big is said at once, whatever follows.</summary>
    public const int FullBytes = 64 * 1024;

    private byte[]? _buffer;
    private int _length;
    private int _count;

    /// <summary>Bytes held (each line with its <c>\n</c>).</summary>
    public int Length => _length;

    /// <summary>True once the batch should be said before more is added.</summary>
    public bool IsFull => _length >= FullBytes;

    /// <summary>True when a line of the open batch was not valid UTF-8 (it holds U+FFFD in place of the invalid bytes).</summary>
    public bool Repaired { get; private set; }

    /// <summary>
    /// Files <paramref name="line"/> (terminator removed): a message joins the batch (invalid UTF-8 replaced by
    /// U+FFFD), a blank line is dropped, a command is returned in <paramref name="command"/> (the caller says the
    /// batch first, then carries it out). True for a command.
    /// </summary>
    public bool Add(in ReadOnlySequence<byte> line, out ChatCommand command)
    {
        if (line.IsSingleSegment)
        {
            return Add(line.FirstSpan, out command);
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(checked((int)line.Length));
        try
        {
            line.CopyTo(copy);
            return Add(copy.AsSpan(0, (int)line.Length), out command);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <inheritdoc cref="Add(in ReadOnlySequence{byte}, out ChatCommand)"/>
    public bool Add(ReadOnlySpan<byte> line, out ChatCommand command)
    {
        command = default;
        int start = 0;
        while (start < line.Length && IsAsciiBlank(line[start]))
        {
            start++;
        }

        if (start == line.Length)
        {
            return false; // Blank: nothing to say.
        }

        int end = line.Length;
        while (IsAsciiBlank(line[end - 1]))
        {
            end--;
        }

        byte first = line[start];
        if (first == (byte)'/' || first >= 0x80 || (end - start == 3 && first is (byte)'F' or (byte)'f'))
        {
            // Maybe a command (or Unicode blanks, or a FIN): the parser decides on the text, as it always did.
            string text = LineFramer.TextEncoding.GetString(line);
            if (ChatCommandParser.TryParse(text, out command))
            {
                return true;
            }

            if (text.AsSpan().Trim().IsEmpty)
            {
                return false;
            }
        }

        Append(line);
        return false;
    }

    /// <summary>The batch as one event from <paramref name="from"/>, or null when empty; the batch is empty again.</summary>
    public MemberSaid? Take(MemberIdentity from)
    {
        if (_count == 0)
        {
            return null;
        }

        var said = new MemberSaid(from, _buffer.AsSpan(0, _length).ToArray(), _count);
        Release();
        return said;
    }

    /// <summary>Gives the pooled buffer back (the member is leaving, or the batch was taken).</summary>
    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _length = _count = 0;
        Repaired = false;
    }

    private static bool IsAsciiBlank(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    private void Append(ReadOnlySpan<byte> line)
    {
        if (!Utf8.IsValid(line))
        {
            byte[] repaired = Encoding.UTF8.GetBytes(LineFramer.TextEncoding.GetString(line));
            Append(repaired);
            Repaired = true;
            return;
        }

        Reserve(line.Length + 1);
        line.CopyTo(_buffer.AsSpan(_length));
        _length += line.Length;
        _buffer![_length++] = (byte)'\n';
        _count++;
    }

    private void Reserve(int more)
    {
        int needed = _length + more;
        if (_buffer is not null && _buffer.Length >= needed)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_buffer?.Length ?? 0) * 2)));
        _buffer?.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
