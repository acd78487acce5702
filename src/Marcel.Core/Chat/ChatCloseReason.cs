namespace Marcel.Core.Chat;

/// <summary>Why a client left the room.</summary>
public enum ChatCloseReason
{
    /// <summary>The client closed its side (FIN) or reset.</summary>
    HungUp,

    /// <summary>The client said <c>/quit</c> or <c>FIN</c>.</summary>
    Quit,

    /// <summary>The operator used <c>/kick</c>.</summary>
    Kicked,

    /// <summary>Nothing received for <see cref="ChatOptions.IdleTimeout"/>.</summary>
    Idle,

    /// <summary>A line over the maximum.</summary>
    TooLong,

    /// <summary>Its outgoing queue overflowed: it did not read fast enough.</summary>
    Overflow,

    /// <summary>The server is shutting down.</summary>
    Shutdown,
}
