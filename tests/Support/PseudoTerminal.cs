namespace Marcel.Tests.Support;

/// <summary>
/// Runs a command on a pseudo-terminal of its own (stdin, stdout and stderr a tty), through util-linux's
/// <c>script</c>, as a person at a terminal runs it.
/// </summary>
internal static class PseudoTerminal
{
    /// <summary>
    /// Starts <paramref name="command"/> (a shell command line, already quoted) under <c>script -qfec</c>. The command is
    /// <c>exec</c>'d: <c>script</c> runs it with <c>$SHELL -c</c>, and where that is dash (SHELL unset or /bin/sh),
    /// dash forks, waits, and dies of the Ctrl-C the test types, which reaches the whole foreground group: <c>script
    /// -e</c> then reports 130 whatever the program did with its SIGINT (bash execs a lone command itself, so a machine
    /// whose SHELL is bash hid this). Exec'd, the program is alone on the terminal. SHELL is /bin/sh for every test,
    /// so that a machine's own shell changes nothing.
    /// </summary>
    public static PeerProcess Start(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        string script = ExternalProgram.Require("script");
        var variables = new Dictionary<string, string> { ["SHELL"] = "/bin/sh" };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        return PeerProcess.Start(script, ["-qfec", "exec " + command, "/dev/null"], variables);
    }
}
