using Marcel.Core.Framing;

namespace Marcel.Core.Dialogue;

/// <summary>How <c>marcel connect</c> talks to a server.</summary>
public sealed record ClientOptions
{
    /// <summary>How long the connection attempt may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the user's input ends (end of a pipe, Ctrl-D, or <c>FIN</c>), how long to wait for the server's answer
    /// and goodbye before closing. Default 5 s.
    /// </summary>
    public TimeSpan WaitAfterInput { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Framing of the connection.</summary>
    public LineOptions Lines { get; init; } = new();
}
