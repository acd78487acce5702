using System.Globalization;
using System.Text;
using Marcel.Core.Fetch;

namespace Marcel.Cli.Commands;

/// <summary>
/// curl's <c>-w</c>/<c>--write-out</c> for its common variables: <c>%{http_code}</c> (and <c>%{response_code}</c>),
/// <c>%{size_download}</c>, <c>%{time_total}</c>, <c>%{speed_download}</c>, <c>%{url_effective}</c>,
/// <c>%{content_type}</c>, with <c>\n</c>, <c>\r</c>, <c>\t</c> and <c>%%</c>. An unknown variable is left as written.
/// </summary>
internal static class WriteOut
{
    public static string Format(string format, FetchResult result)
    {
        var text = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '%' && i + 1 < format.Length && format[i + 1] == '%')
            {
                text.Append('%');
                i++;
            }
            else if (c == '%' && i + 1 < format.Length && format[i + 1] == '{' && format.IndexOf('}', i) is > 0 and var end)
            {
                string name = format[(i + 2)..end];
                text.Append(Variable(name, result) ?? format[i..(end + 1)]);
                i = end;
            }
            else if (c == '\\' && i + 1 < format.Length && format[i + 1] is 'n' or 'r' or 't' or '\\')
            {
                text.Append(format[++i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => '\\' });
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static string? Variable(string name, FetchResult result) => name switch
    {
        "http_code" or "response_code" => result.StatusCode.ToString("000", CultureInfo.InvariantCulture),
        "size_download" => result.Received.ToString(CultureInfo.InvariantCulture),
        "time_total" => result.Elapsed.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture),
        "speed_download" => ((long)(result.Received / Math.Max(result.Elapsed.TotalSeconds, 1e-6))).ToString(CultureInfo.InvariantCulture),
        "url_effective" => result.EffectiveUrl.ToString(),
        "content_type" => result.ContentType ?? string.Empty,
        _ => null,
    };
}
