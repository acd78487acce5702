using Marcel.Core.Framing;

namespace Marcel.Core.Dialogue;

/// <summary>How the dialogue server (the chapter's "serveur Marcel") behaves.</summary>
public sealed record DialogueOptions
{
    /// <summary>The server's name, used in the default greeting. Default <c>Marcel</c>.</summary>
    public string Name { get; init; } = "Marcel";

    /// <summary>The first line sent to each client; <c>null</c> for the chapter's greeting in the current language.</summary>
    public string? Greeting { get; init; }

    /// <summary>Skip the "restart or terminate?" question and wait for the next client. Default false, as in the chapter.</summary>
    public bool KeepOpen { get; init; }

    /// <summary>
    /// Clients who may wait their turn at once; past it a newcomer is told the line is full and closed. Each waiting
    /// client holds at most <see cref="LineOptions.MaxLineBytes"/> plus one 4 KiB read of what it sent. Default 1,000;
    /// at most <see cref="MaxWaitingCap"/>.
    /// </summary>
    public int MaxWaiting { get; init; } = 1_000;

    /// <summary>Hard cap on <see cref="MaxWaiting"/>.</summary>
    public const int MaxWaitingCap = 100_000;

    /// <summary>Framing of every connection.</summary>
    public LineOptions Lines { get; init; } = new();
}
