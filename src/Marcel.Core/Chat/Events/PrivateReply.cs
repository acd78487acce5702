namespace Marcel.Core.Chat.Events;

/// <summary>Lines for one member only: answers to its commands, its welcome, its last line.</summary>
/// <param name="Lines">The lines, without line endings.</param>
public sealed record PrivateReply(IReadOnlyList<string> Lines) : RoomEvent
{
    /// <inheritdoc />
    public override int Weight
    {
        get
        {
            int weight = 0;
            foreach (string line in Lines) weight += line.Length + 1;
            return weight;
        }
    }

    /// <summary>A one-line reply.</summary>
    public static PrivateReply Of(string line) => new([line]);
}
