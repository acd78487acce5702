namespace Marcel.Core.Fetch;

/// <summary>Where <see cref="FetchRunner"/> puts what it fetched: the CLI fills this from the console and the options.</summary>
public sealed record FetchOutput
{
    /// <summary>Standard output as raw bytes: the body, exactly, when it is not a terminal.</summary>
    public required Stream Stdout { get; init; }

    /// <summary>
    /// Set when standard output is a terminal: the head and a decoded text body are written there instead of raw bytes
    /// (a binary body is announced, not shown). Default: null (raw bytes on <see cref="Stdout"/>).
    /// </summary>
    public TextWriter? Terminal { get; init; }

    /// <summary>Write the body to this file (<c>-o</c>), atomically unless <see cref="Append"/>, instead of standard output. Default: none.</summary>
    public string? File { get; init; }

    /// <summary>
    /// Append to <see cref="File"/> instead of replacing it atomically: a resumed download (<c>-C</c>) continues the
    /// bytes already there. Default: false.
    /// </summary>
    public bool Append { get; init; }

    /// <summary>Put the response head before the body in a raw output (<c>-i</c>). Default: false.</summary>
    public bool IncludeHead { get; init; }

    /// <summary>Where <c>-v</c> writes the request and response heads (stderr). Default: null, no trace.</summary>
    public TextWriter? Trace { get; init; }

    /// <summary>Told how the download advances, for <c>-o</c>. Default: null.</summary>
    public IFetchProgress? Progress { get; init; }
}
