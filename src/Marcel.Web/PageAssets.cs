using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Marcel.Web.Resources;

namespace Marcel.Web;

/// <summary>
/// The page's three files, embedded in the assembly. The HTML carries its words in the page's language (labels in the
/// markup, messages for the script as JSON), rendered once per language from <see cref="WebStrings"/>.
/// </summary>
internal sealed class PageAssets
{
    private static readonly string[] Supported = ["en", "fr"];

    private readonly string _template = Encoding.UTF8.GetString(Read("index.html"));
    private readonly ConcurrentDictionary<string, byte[]> _pages = new(StringComparer.Ordinal);

    /// <summary>The script, as stored.</summary>
    public byte[] Script { get; } = Read("app.js");

    /// <summary>The style sheet, as stored.</summary>
    public byte[] Style { get; } = Read("app.css");

    /// <summary>The page in <paramref name="culture"/>'s language (English when it is neither English nor French).</summary>
    public byte[] Page(CultureInfo culture)
    {
        string language = Supported.Contains(culture.TwoLetterISOLanguageName) ? culture.TwoLetterISOLanguageName : "en";
        return _pages.GetOrAdd(language, l => Encoding.UTF8.GetBytes(Render(_template, CultureInfo.GetCultureInfo(l))));
    }

    /// <summary>
    /// The first language of <paramref name="acceptLanguage"/> (highest quality first, RFC 9110 §12.5.4) that we speak,
    /// or null.
    /// </summary>
    public static CultureInfo? Negotiate(IEnumerable<(string Language, double Quality)> acceptLanguage)
    {
        foreach ((string tag, double quality) in acceptLanguage.Where(l => l.Quality > 0).OrderByDescending(l => l.Quality))
        {
            string primary = tag.Split('-')[0].ToLowerInvariant();
            if (Supported.Contains(primary))
            {
                return CultureInfo.GetCultureInfo(primary);
            }
        }

        return null;
    }

    private static string Render(string template, CultureInfo culture)
    {
        string Text(string name) => WebStrings.ResourceManager.GetString(name, culture) ?? name;

        var html = new StringBuilder(template);
        foreach (string name in new[] { "PageTitle", "PageLog", "PageInput", "PagePlaceholder", "PageSend", "PageReconnect", "PageNoScript", "PageConnecting" })
        {
            html.Replace("{{" + name + "}}", HtmlEncoder.Default.Encode(Text(name)));
        }

        html.Replace("{{lang}}", culture.TwoLetterISOLanguageName);
        html.Replace("{{strings}}", ScriptStrings(Text));
        return html.ToString();
    }

    /// <summary>The script's messages as one JSON object; the default encoder escapes <c>&lt;</c>, so it cannot end the script element.</summary>
    private static string ScriptStrings(Func<string, string> text)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteString("connecting", text("PageConnecting"));
            json.WriteString("connected", text("PageConnected"));
            json.WriteString("reconnected", text("PageReconnected"));
            json.WriteString("lost", text("PageLost"));
            json.WriteString("closed", text("PageClosed"));
            json.WriteString("notSent", text("PageNotSent"));
            json.WriteString("you", text("PageYou"));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static byte[] Read(string name)
    {
        using Stream stream = typeof(PageAssets).Assembly.GetManifestResourceStream("page/" + name)
            ?? throw new InvalidOperationException($"The page file {name} is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
