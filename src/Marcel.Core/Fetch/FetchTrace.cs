using System.Globalization;
using System.Net.Http.Headers;

namespace Marcel.Core.Fetch;

/// <summary>
/// The <c>-v</c> view, curl's way: <c>* </c> for what happens, <c>&gt; </c> for the request head, <c>&lt; </c> for
/// the response head, with Authorization and Proxy-Authorization values masked.
/// </summary>
internal sealed class FetchTrace(TextWriter? writer)
{
    public bool Enabled => writer is not null;

    public void Info(string text) => writer?.WriteLine("* " + text);

    public void Request(HttpRequestMessage request, ProxyRoute? route)
    {
        if (writer is null)
        {
            return;
        }

        Uri url = request.RequestUri!;
        bool absoluteForm = route is not null && route.Address.Scheme == "http" && url.Scheme == "http";
        writer.WriteLine($"> {request.Method} {(absoluteForm ? url.AbsoluteUri : url.PathAndQuery)} HTTP/{ResponseHead.Version(request.Version)}");
        writer.WriteLine($"> Host: {request.Headers.Host ?? url.Authority}");
        Lines(writer, "> ", request.Headers);
        writer.WriteLine(">");
    }

    public void Response(HttpResponseMessage response)
    {
        if (writer is null)
        {
            return;
        }

        foreach (string line in ResponseHead.Lines(response))
        {
            writer.WriteLine(line.Length == 0 ? "<" : "< " + line);
        }
    }

    private static void Lines(TextWriter writer, string prefix, HttpHeaders headers)
    {
        foreach ((string name, HeaderStringValues values) in headers.NonValidated)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (string value in values)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}{name}: {RequestHeaders.Mask(name, value)}"));
            }
        }
    }
}
