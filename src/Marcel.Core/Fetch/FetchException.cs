namespace Marcel.Core.Fetch;

/// <summary>A fetch that failed, with curl's exit code and the one line to show the user.</summary>
public sealed class FetchException : Exception
{
    /// <summary>Creates the failure.</summary>
    public FetchException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>Creates a failure with exit code 1 (for serialisers and analyzers; prefer the other constructor).</summary>
    public FetchException()
        : this(1, string.Empty)
    {
    }

    /// <summary>Creates a failure with exit code 1.</summary>
    public FetchException(string message)
        : this(1, message)
    {
    }

    /// <summary>Creates a failure with exit code 1.</summary>
    public FetchException(string message, Exception innerException)
        : this(1, message, innerException)
    {
    }

    /// <summary>One of <see cref="FetchExitCodes"/>.</summary>
    public int ExitCode { get; }

    /// <summary>
    /// What the failed transfer got that far (status 0 when no response came), for curl's <c>-w</c>, which writes out
    /// on failure too (<c>%{http_code}</c> is then <c>000</c>); null when the failure came before any transfer.
    /// </summary>
    public FetchResult? Result { get; internal set; }
}
