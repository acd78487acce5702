using System.Text;

namespace Marcel.Core.Chat.Events;

/// <summary>
/// A member (or the operator, <see cref="MemberKinds.Operator"/>) said one or more lines: a batch of one sender's
/// lines read together travels as one event, so fan-out costs one enqueue per receiver per batch, not per line.
/// </summary>
/// <param name="From">Who said it.</param>
/// <param name="Lines">The lines as UTF-8 (valid, never empty), each ended by one <c>\n</c> and holding no other.</param>
/// <param name="Count">How many lines <paramref name="Lines"/> holds.</param>
public sealed record MemberSaid(MemberIdentity From, ReadOnlyMemory<byte> Lines, int Count) : RoomEvent
{
    /// <inheritdoc />
    public override string? ExceptId => From.Id;

    /// <inheritdoc />
    public override int Weight => Lines.Length + (Count * (From.Name.Length + 3));

    /// <summary>One line said by <paramref name="from"/> (operator lines, tests).</summary>
    public static MemberSaid Line(MemberIdentity from, string text) => new(from, Encoding.UTF8.GetBytes(text + "\n"), 1);

    /// <summary>The lines decoded, without their <c>\n</c>.</summary>
    public IEnumerable<string> Texts()
    {
        string all = Encoding.UTF8.GetString(Lines.Span);
        return all.Split('\n', StringSplitOptions.None).Take(Count);
    }
}
