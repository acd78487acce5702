namespace Marcel.Core.Dialogue;

/// <summary>Why a conversation ended.</summary>
public enum ConversationEnd
{
    /// <summary>The client sent <c>FIN</c> or an empty message.</summary>
    ClientFarewell,

    /// <summary>The client closed the connection, or it was reset.</summary>
    ClientHungUp,

    /// <summary>The client sent a line longer than the maximum.</summary>
    ClientTooLong,

    /// <summary>A datagram client sent nothing for the idle timeout: UDP has no hang-up, so silence is how it leaves.</summary>
    ClientSilent,

    /// <summary>The operator typed <c>FIN</c>.</summary>
    Operator,

    /// <summary>The server is shutting down (Ctrl-C, SIGTERM).</summary>
    Shutdown,
}
