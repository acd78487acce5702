using System.Net.Http.Headers;

namespace Marcel.Core.Fetch;

/// <summary>curl's <c>-H</c> syntax and the merge of the user's headers with the defaults.</summary>
public static class RequestHeaders
{
    /// <summary>Headers never carried to another host on a redirect (curl does the same without --location-trusted).</summary>
    private static readonly string[] HostBound = ["Authorization", "Cookie"];

    /// <summary>
    /// Parses one <c>-H</c> argument as curl does: <c>'Name: value'</c> sends it, <c>'Name:'</c> removes the header
    /// (value null), <c>'Name;'</c> sends it empty. Returns false when the text is neither.
    /// </summary>
    public static bool TryParse(string line, out KeyValuePair<string, string?> header)
    {
        ArgumentNullException.ThrowIfNull(line);
        header = default;
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            string value = line[(colon + 1)..].Trim();
            header = new(line[..colon].Trim(), value.Length == 0 ? null : value);
            return IsToken(header.Key);
        }

        if (line.EndsWith(';') && line.Length > 1)
        {
            header = new(line[..^1].Trim(), string.Empty);
            return IsToken(header.Key);
        }

        return false;
    }

    /// <summary>The headers to send: defaults and User-Agent first unless named by the user, then the user's own.</summary>
    internal static List<KeyValuePair<string, string>> Merge(FetchOptions options, string userAgent, bool crossHost)
    {
        var named = new HashSet<string>(options.Headers.Select(h => h.Key), StringComparer.OrdinalIgnoreCase);
        var merged = new List<KeyValuePair<string, string>>();
        if (!named.Contains("User-Agent") && userAgent.Length > 0)
        {
            merged.Add(new("User-Agent", userAgent));
        }

        merged.AddRange(FetchOptions.DefaultHeaders.Where(h => !named.Contains(h.Key)).Select(h => new KeyValuePair<string, string>(h.Key, h.Value!)));
        foreach ((string name, string? value) in options.Headers)
        {
            if (value is not null && !(crossHost && HostBound.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                merged.Add(new(name, value));
            }
        }

        return merged;
    }

    /// <summary>Adds <paramref name="headers"/> to <paramref name="request"/> without .NET's validation (curl sends them as given).</summary>
    internal static void Apply(HttpRequestMessage request, IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach ((string name, string value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                throw new FetchException(FetchExitCodes.FailedInit, string.Format(System.Globalization.CultureInfo.CurrentCulture, Resources.FetchStrings.HeaderRejected, name));
            }
        }
    }

    /// <summary>A header value safe to print: credentials of Authorization and Proxy-Authorization replaced by stars.</summary>
    internal static string Mask(string name, string value)
    {
        if (!name.Equals("Authorization", StringComparison.OrdinalIgnoreCase) && !name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 ? value[..space] + " *****" : "*****";
    }

    /// <summary>The <c>Proxy-Authorization</c> value for Basic credentials.</summary>
    internal static string Basic(System.Net.NetworkCredential credentials) =>
        new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials.UserName + ":" + credentials.Password))).ToString();

    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => c > ' ' && c < '\u007f' && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal));
}
