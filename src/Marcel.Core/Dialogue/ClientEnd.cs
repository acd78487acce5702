namespace Marcel.Core.Dialogue;

/// <summary>Why <c>marcel connect</c> stopped.</summary>
public enum ClientEnd
{
    /// <summary>The server sent <c>FIN</c> or an empty message.</summary>
    ServerFarewell,

    /// <summary>The server closed the connection (after its goodbye, or not).</summary>
    ServerClosed,

    /// <summary>The server sent a line longer than the maximum.</summary>
    ServerTooLong,

    /// <summary>Our input ended and the server did not close within the wait; we closed.</summary>
    InputEnded,
}
