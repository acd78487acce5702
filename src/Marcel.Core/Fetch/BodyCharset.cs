using System.Net.Http.Headers;
using System.Text;

namespace Marcel.Core.Fetch;

/// <summary>Decides whether a body is text fit for a terminal, and in which encoding it was written.</summary>
internal static partial class BodyCharset
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
    public static Encoding For(MediaTypeHeaderValue? contentType) => Named(contentType?.CharSet) ?? Encoding.UTF8;

    /// <summary>
    /// The encoding of a body for the terminal, as browsers and HTTPie decide it: the charset the response names;
    /// else a byte order mark; else, for HTML, a <c>&lt;meta charset&gt;</c> in the first 1024 bytes (WHATWG's prescan,
    /// simplified); else UTF-8 if <paramref name="firstBytes"/> decode as UTF-8; else windows-1252, WHATWG's fallback
    /// for these locales. Only the terminal decodes: a pipe or a file gets the bytes as they came.
    /// </summary>
    public static Encoding Detect(MediaTypeHeaderValue? contentType, ReadOnlySpan<byte> firstBytes)
    {
        if (Named(contentType?.CharSet) is { } named)
        {
            return named;
        }

        if (firstBytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return Encoding.UTF8;
        }

        if (firstBytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return Encoding.Unicode;
        }

        if (firstBytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return Encoding.BigEndianUnicode;
        }

        if (string.Equals(contentType?.MediaType, "text/html", StringComparison.OrdinalIgnoreCase) && MetaCharset(firstBytes) is { } meta)
        {
            return meta;
        }

        return IsUtf8(firstBytes) ? Encoding.UTF8 : Encoding.GetEncoding(1252);
    }

    private static Encoding? MetaCharset(ReadOnlySpan<byte> firstBytes)
    {
        string head = Encoding.Latin1.GetString(firstBytes[..Math.Min(firstBytes.Length, 1024)]);
        System.Text.RegularExpressions.Match match = MetaPattern().Match(head);
        return match.Success ? Named(match.Groups[1].Value) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MetaPattern();

    /// <summary>True when the bytes are valid UTF-8, a sequence cut at the very end (the read's boundary) allowed.</summary>
    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        char[] chars = new char[bytes.Length];
        return System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: false)
            is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData;
    }

    private static Encoding? Named(string? label)
    {
        string? charset = label?.Trim('"', ' ').ToLowerInvariant();
        if (string.IsNullOrEmpty(charset))
        {
            return null;
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
            return null;
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
