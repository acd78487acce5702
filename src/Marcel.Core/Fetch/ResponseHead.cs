using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Marcel.Core.Fetch;

/// <summary>A response's head as the chapter prints it: the status line, the headers, a blank line.</summary>
internal static class ResponseHead
{
    /// <summary>Status line, one line per header value, then an empty line.</summary>
    public static IEnumerable<string> Lines(HttpResponseMessage response)
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"HTTP/{Version(response.Version)} {(int)response.StatusCode} {response.ReasonPhrase}");
        foreach (string line in HeaderLines(response.Headers))
        {
            yield return line;
        }

        foreach (string line in HeaderLines(response.Content.Headers))
        {
            yield return line;
        }

        yield return string.Empty;
    }

    /// <summary>The head as bytes on the wire (CRLF line ends), for <c>-i</c> into a pipe or a file.</summary>
    public static byte[] Bytes(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        foreach (string line in Lines(response))
        {
            text.Append(line).Append("\r\n");
        }

        // Header values are Latin-1 on the wire (RFC 9110 §5.5): write them back byte for byte.
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public static string Version(Version version) => version.Major >= 2 ? version.Major.ToString(CultureInfo.InvariantCulture) : version.ToString(2);

    private static IEnumerable<string> HeaderLines(HttpHeaders headers)
    {
        foreach ((string name, HeaderStringValues values) in headers.NonValidated)
        {
            foreach (string value in values)
            {
                yield return name + ": " + value;
            }
        }
    }
}
