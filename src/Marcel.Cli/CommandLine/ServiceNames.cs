namespace Marcel.Cli.CommandLine;

/// <summary>
/// TCP service names, as nc and ncat take them (<c>nc localhost http</c>): read from the system's services file
/// (/etc/services, or its Windows twin under drivers\etc).
/// </summary>
internal static class ServiceNames
{
    /// <summary>The TCP port of <paramref name="name"/> (or one of its aliases); null when the file does not list it.</summary>
    public static int? TcpPort(string name)
    {
        string path = OperatingSystem.IsWindows()
            ? Path.Combine(Environment.SystemDirectory, "drivers", "etc", "services")
            : "/etc/services";
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (Match(line, name) is { } port)
                {
                    return port;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No services file: only numbers then.
        }

        return null;
    }

    /// <summary>One line of the file, <c>name port/protocol [aliases…] [# comment]</c>.</summary>
    public static int? Match(string line, string name)
    {
        int hash = line.IndexOf('#', StringComparison.Ordinal);
        string[] fields = (hash >= 0 ? line[..hash] : line).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || !fields[1].EndsWith("/tcp", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        bool named = fields[0].Equals(name, StringComparison.OrdinalIgnoreCase) || fields.Skip(2).Contains(name, StringComparer.OrdinalIgnoreCase);
        return named && ValueParsers.ParseInt(fields[1][..^"/tcp".Length]) is int port and >= 1 and <= 65535 ? port : null;
    }
}
