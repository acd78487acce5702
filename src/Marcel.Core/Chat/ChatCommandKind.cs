namespace Marcel.Core.Chat;

/// <summary>What a line typed in the chat room asks for, when it is a command rather than a message.</summary>
public enum ChatCommandKind
{
    /// <summary><c>/nick NAME</c>: take another name. The argument is the requested name (may be empty or invalid).</summary>
    Nick,

    /// <summary><c>/who</c>: list who is connected and from where.</summary>
    Who,

    /// <summary><c>/help</c>: list the commands.</summary>
    Help,

    /// <summary><c>/quit</c> or the chapter's <c>FIN</c>: leave with the goodbye.</summary>
    Quit,

    /// <summary><c>/kick NAME</c>: the operator removes someone (clients are told it is unknown to them).</summary>
    Kick,

    /// <summary><c>/stats</c>: the operator's counters (connections, members, memory); unknown to clients.</summary>
    Stats,

    /// <summary>Any other <c>/word</c>: answered privately, never broadcast. The argument is the command as typed.</summary>
    Unknown,
}
