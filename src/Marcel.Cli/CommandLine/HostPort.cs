namespace Marcel.Cli.CommandLine;

/// <summary>
/// <c>HOST:PORT</c> as many clients take it (<c>localhost:50000</c>, <c>[::1]:50000</c>), with brackets taken off an
/// IPv6 address (<c>[::1]</c>) and a bare IPv6 address (<c>::1</c>) left whole.
/// </summary>
internal static class HostPort
{
    /// <summary>The host, and the port written after it if any (unparsed: a number or a service name).</summary>
    public static (string Host, string? Port) Split(string text)
    {
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close > 0)
            {
                string rest = text[(close + 1)..];
                if (rest.Length == 0)
                {
                    return (text[1..close], null);
                }

                if (rest[0] == ':')
                {
                    return (text[1..close], rest[1..]);
                }
            }

            return (text, null); // Malformed: the name lookup says so.
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon == text.LastIndexOf(':') ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
