using System.Net.Http.Headers;
using System.Text;

namespace Marcel.Core.Fetch;

/// <summary>Decides whether a body is text fit for a terminal, and in which encoding it was written.</summary>
internal static class BodyCharset
{
    private static readonly string[] TextTypes =
    [
        "application/json", "application/xml", "application/javascript", "application/ecmascript",
        "application/x-www-form-urlencoded", "application/x-sh", "application/x-yaml", "application/yaml", "application/toml",
    ];

    // WHATWG Encoding: these labels mean windows-1252 on the web (0x80-0x9F are €, ‚, ƒ … there, not C1 controls).
    private static readonly string[] Windows1252Labels =
    [
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "us-ascii", "ascii", "cp1252", "windows-1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100",
    ];

    static BodyCharset()
    {
        // windows-1252 and the other code pages ship in the framework but are off by default; registration is AOT-safe.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>The encoding the response names (UTF-8 when none or unknown).</summary>
    public static Encoding For(MediaTypeHeaderValue? contentType)
    {
        string? charset = contentType?.CharSet?.Trim('"', ' ').ToLowerInvariant();
        if (string.IsNullOrEmpty(charset))
        {
            return Encoding.UTF8;
        }

        if (Windows1252Labels.Contains(charset))
        {
            return Encoding.GetEncoding(1252);
        }

        try
        {
            return Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8;
        }
    }

    /// <summary>
    /// True when the body should not go to a terminal: a media type that is not text, or (none named, or text named)
    /// a NUL byte in the first bytes, as curl checks. UTF-16/32 text legitimately holds NULs.
    /// </summary>
    public static bool IsBinary(MediaTypeHeaderValue? contentType, Encoding encoding, ReadOnlySpan<byte> firstBytes)
    {
        string? media = contentType?.MediaType?.ToLowerInvariant();
        if (media is not null && !IsTextMedia(media))
        {
            return true;
        }

        return encoding is not (UnicodeEncoding or UTF32Encoding) && firstBytes.Contains((byte)0);
    }

    private static bool IsTextMedia(string media) =>
        media.StartsWith("text/", StringComparison.Ordinal)
        || media.EndsWith("+xml", StringComparison.Ordinal)
        || media.EndsWith("+json", StringComparison.Ordinal)
        || TextTypes.Contains(media);
}
