namespace Marcel.Tests.Support;

/// <summary>Runs the real <c>marcel</c> command, as built next to the tests.</summary>
internal static class MarcelCli
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "marcel.dll");

    public static PeerProcess Start(params string[] arguments) => Start(arguments, environment: null);

    public static PeerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment) =>
        PeerProcess.Start("dotnet", [Dll, .. arguments], environment);

    /// <summary>Starts <c>marcel serve</c> on a free loopback port and waits until it listens; returns the port.</summary>
    public static async Task<(PeerProcess Server, int Port)> ServeAsync(params string[] extra)
    {
        PeerProcess server = Start(["serve", "--host", "127.0.0.1", "--port", "0", .. extra], null);
        return (server, await ListeningPortAsync(server));
    }

    /// <summary>
    /// Reads the port from the server's "Listening on 127.0.0.1:PORT" line; <paramref name="marker"/> is what stands
    /// before the port (longer when the output names other addresses first, a Redis one for instance).
    /// </summary>
    public static async Task<int> ListeningPortAsync(PeerProcess server, string marker = "127.0.0.1:")
    {
        string output = await server.WaitForOutputAsync(marker, timeout: Timeouts.Startup);
        int at = output.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        int end = at;
        while (end < output.Length && char.IsAsciiDigit(output[end])) end++;
        return int.Parse(output[at..end], System.Globalization.CultureInfo.InvariantCulture);
    }
}
