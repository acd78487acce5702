namespace Marcel.Cli.Platform;

/// <summary>
/// The terminal's modes that differ between systems: echo of typed keys (off for a password) and the escape
/// sequences the line editor draws with. <see cref="TerminalModes.For"/> picks the implementation per OS.
/// </summary>
internal interface ITerminalModes
{
    /// <summary>Turns the echo of typed keys on or off; false when stdin is not a terminal (nothing changed).</summary>
    bool SetEcho(bool on);

    /// <summary>
    /// Turns the tty's line mode (canonical input, echo) off for a line editor's whole session, or puts back what it
    /// found; false when nothing was changed (not a terminal, or nothing to change on this system).
    /// </summary>
    bool SetLineMode(bool on);

    /// <summary>Lets the console interpret the VT escape sequences the line editor writes (cursor moves, line erase).</summary>
    void EnableEscapeSequences();
}
