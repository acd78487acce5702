namespace Marcel.Core.Chat;

/// <summary>One parsed chat command.</summary>
/// <param name="Kind">The command.</param>
/// <param name="Argument">Its argument, trimmed: the name for <see cref="ChatCommandKind.Nick"/> and
/// <see cref="ChatCommandKind.Kick"/>, the command word for <see cref="ChatCommandKind.Unknown"/>, else empty.</param>
public readonly record struct ChatCommand(ChatCommandKind Kind, string Argument);
