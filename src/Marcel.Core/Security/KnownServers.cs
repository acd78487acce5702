namespace Marcel.Core.Security;

/// <summary>
/// The TLS fingerprints the user confirmed for servers found by DNS-SD, per instance name, like ssh's
/// <c>known_hosts</c>: <c>known_servers</c> in Marcel's config folder (<see cref="ConfigFolder"/>), one line per
/// server, <c>FINGERPRINT NAME</c> (the fingerprint as colon-separated hex, one space, the instance name to the end
/// of the line; <c>#</c> starts a comment). Names compare without regard to case, as DNS names do. A name holding a
/// line break is never written (it could forge a line).
/// </summary>
public sealed class KnownServers
{
    /// <summary>The file's name inside the config folder.</summary>
    public const string FileName = "known_servers";

    private readonly string _path;

    /// <summary>The file in <paramref name="folder"/> (it need not exist yet).</summary>
    public KnownServers(string folder)
    {
        _path = Path.Combine(folder, FileName);
    }

    /// <summary>The file of this user (<see cref="ConfigFolder.Default"/>).</summary>
    public static KnownServers ForThisUser() => new(ConfigFolder.Default);

    /// <summary>The file's path.</summary>
    public string FilePath => _path;

    /// <summary>The fingerprint confirmed for <paramref name="name"/>, or null when none was (or the file cannot be read).</summary>
    public string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Entries().LastOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).Fingerprint;
    }

    /// <summary>
    /// Remembers <paramref name="fingerprint"/> for <paramref name="name"/>, in place of any earlier one. False when
    /// the name holds a line break or the file cannot be written (then nothing is remembered, and the caller says so).
    /// </summary>
    public bool Remember(string name, string fingerprint)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fingerprint);
        if (name.AsSpan().IndexOfAny('\r', '\n') >= 0 || fingerprint.Contains(' ', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            string[] kept = File.Exists(_path)
                ? [.. File.ReadAllLines(_path).Where(l => !string.Equals(Parse(l).Name, name, StringComparison.OrdinalIgnoreCase))]
                : ["# Marcel: TLS fingerprints confirmed for servers found on the local network (marcel connect NAME)."];
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            string temporary = _path + ".new";
            File.WriteAllLines(temporary, [.. kept, fingerprint + " " + name]);
            File.Move(temporary, _path, overwrite: true); // Whole or not at all, should two connects write at once.
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private IEnumerable<(string? Fingerprint, string? Name)> Entries()
    {
        string[] lines;
        try
        {
            lines = File.Exists(_path) ? File.ReadAllLines(_path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lines = [];
        }

        return lines.Select(Parse).Where(e => e.Name is not null);
    }

    private static (string? Fingerprint, string? Name) Parse(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return line.StartsWith('#') || space <= 0 ? (null, null) : (line[..space], line[(space + 1)..]);
    }
}
