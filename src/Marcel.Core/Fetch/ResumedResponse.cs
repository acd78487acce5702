using System.Net;
using Marcel.Core.Resources;

namespace Marcel.Core.Fetch;

/// <summary>Judges the answer to a resumed request (<c>-C</c>, <c>Range: bytes=N-</c>) as curl does.</summary>
internal static class ResumedResponse
{
    /// <summary>
    /// True when nothing is left to fetch: a 416 (the range starts at or past the end), or a whole body of exactly the
    /// offset's size. False when the body is the range asked for (206 from the offset), to be appended.
    /// </summary>
    /// <exception cref="FetchException">Any other answer (a 200 with the whole body, a 404…): curl's exit 33, nothing written.</exception>
    public static bool NothingLeft(HttpResponseMessage response, long offset)
    {
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return true;
        }

        var content = response.Content.Headers;
        if (response.StatusCode == HttpStatusCode.PartialContent && content.ContentRange is { From: { } from } && from == offset)
        {
            return false;
        }

        if (content.ContentRange is null && content.ContentLength == offset)
        {
            return true;
        }

        throw new FetchException(FetchExitCodes.RangeError, FetchStrings.RangeNotSupported);
    }
}
