namespace Marcel.Core.Fetch;

/// <summary>What a finished fetch tells, for curl's <c>-w</c> write-out.</summary>
public sealed record FetchResult
{
    /// <summary>The final response's status (<c>%{http_code}</c>).</summary>
    public int StatusCode { get; init; }

    /// <summary>Body bytes received (<c>%{size_download}</c>).</summary>
    public long Received { get; init; }

    /// <summary>The final response's Content-Type (<c>%{content_type}</c>), if any.</summary>
    public string? ContentType { get; init; }

    /// <summary>The URL of the last request, after redirects (<c>%{url_effective}</c>).</summary>
    public required Uri EffectiveUrl { get; init; }

    /// <summary>
    /// With <see cref="FetchOptions.ResumeFrom"/>: the server had nothing past the offset (416, or a whole body of that
    /// size), so nothing was written, as curl does.
    /// </summary>
    public bool AlreadyComplete { get; init; }

    /// <summary>From the start to the end of the body (<c>%{time_total}</c>).</summary>
    public TimeSpan Elapsed { get; init; }
}
