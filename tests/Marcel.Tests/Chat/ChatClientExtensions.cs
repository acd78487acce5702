using Marcel.Tests.Support;

namespace Marcel.Tests.Chat;

internal static class ChatClientExtensions
{
    /// <summary>Reads lines until one satisfies <paramref name="match"/> (skipping notices and others); returns it.</summary>
    public static async Task<string> ReadUntilAsync(this LineClient client, Func<string, bool> match)
    {
        var seen = new List<string>();
        while (true)
        {
            string line = await client.ReadLineAsync() ?? throw new InvalidOperationException("The server closed. Seen:\n" + string.Join('\n', seen));
            if (match(line)) return line;
            seen.Add(line);
        }
    }

    public static Task<string> ReadUntilAsync(this LineClient client, string contains) =>
        client.ReadUntilAsync(l => l.Contains(contains, StringComparison.Ordinal));

    /// <summary>
    /// Reads until the room says <paramref name="name"/> joined: "* name joined.", or, when another join fell in the
    /// same notice window (100 ms by default, so under load), "* 2 people joined: user1, name.".
    /// </summary>
    public static Task<string> ReadJoinedAsync(this LineClient client, string name) =>
        client.ReadUntilAsync(l => l == $"* {name} joined."
            || (l.StartsWith("* ", StringComparison.Ordinal) && l.Contains(" people joined: ", StringComparison.Ordinal)
                && l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..^1].Split([", ", " and "], StringSplitOptions.None).Contains(name)));

    /// <summary>The next line that is not a room notice (<c>* …</c>).</summary>
    public static Task<string> ReadMessageAsync(this LineClient client) => client.ReadUntilAsync(l => !l.StartsWith("* ", StringComparison.Ordinal));
}
