namespace Marcel.Core.Framing;

/// <summary>What the peer sent next.</summary>
public enum LineReadKind
{
    /// <summary>A message: <see cref="LineReadResult.Text"/> holds it.</summary>
    Message,

    /// <summary>The peer closed its side; nothing more will come.</summary>
    EndOfStream,

    /// <summary>The peer sent a line longer than the maximum; the connection must be closed.</summary>
    TooLong,
}

/// <summary>One result of <see cref="LineReader.ReadAsync"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Text">The message when <paramref name="Kind"/> is <see cref="LineReadKind.Message"/>, else empty.</param>
public readonly record struct LineReadResult(LineReadKind Kind, string Text)
{
    /// <summary>The end of the stream.</summary>
    public static LineReadResult End { get; } = new(LineReadKind.EndOfStream, string.Empty);

    /// <summary>A line over the limit.</summary>
    public static LineReadResult Overflow { get; } = new(LineReadKind.TooLong, string.Empty);

    /// <summary>A message with <paramref name="text"/>.</summary>
    public static LineReadResult FromText(string text) => new(LineReadKind.Message, text);
}
