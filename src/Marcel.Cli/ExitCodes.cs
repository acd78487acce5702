namespace Marcel.Cli;

/// <summary>Every exit code of <c>marcel serve</c> and <c>marcel connect</c>, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Done as asked; also a server stopped by Ctrl-C or SIGTERM after its graceful shutdown.</summary>
    public const int Success = 0;

    /// <summary>The command line could not be understood (System.CommandLine's parse errors).</summary>
    public const int Usage = 1;

    /// <summary>The server could not listen: port in use, address not on this machine, no permission.</summary>
    public const int CannotListen = 2;

    /// <summary>A room across servers (<c>--redis</c>) could not reach Redis at start (without <c>--start-split</c>).</summary>
    public const int RedisUnavailable = 2;

    /// <summary>The client could not connect: refused, unknown host, or timed out.</summary>
    public const int CannotConnect = 3;

    /// <summary>The peer broke the protocol (a line over <c>--max-line</c>).</summary>
    public const int ProtocolError = 4;

    /// <summary>TLS failed: the server's certificate could not be loaded, or the client's handshake failed or was refused.</summary>
    public const int Tls = 5;

    /// <summary>A failure no command expected (a bug): told in one line, the trace with <c>--verbose</c> (sysexits' EX_SOFTWARE).</summary>
    public const int Internal = 70;

    /// <summary>A client interrupted by Ctrl-C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>A client whose terminal was closed (128 + SIGHUP); on Windows, whose console window was closed.</summary>
    public const int HangUp = 129;

    /// <summary>A client stopped by Ctrl-Break on Windows (128 + SIGQUIT, the name .NET gives it).</summary>
    public const int Quit = 131;

    /// <summary>A client stopped by SIGTERM (128 + SIGTERM); on Windows, by a log-off or shutdown.</summary>
    public const int Terminated = 143;
}
