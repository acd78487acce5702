namespace Marcel.Core.Chat.Room;

/// <summary>What came of a newcomer's <see cref="ChatRoom.JoinAsync"/>.</summary>
public enum JoinOutcome
{
    /// <summary>It is in the room, named, greeted, and announced.</summary>
    Joined,

    /// <summary>The room holds <see cref="ChatOptions.MaxClients"/> members on this server already.</summary>
    Full,

    /// <summary>The server is shutting down.</summary>
    Stopping,
}
