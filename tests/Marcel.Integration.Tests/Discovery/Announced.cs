using System.Globalization;
using System.Text.Json;
using Marcel.Tests.Support;

namespace Marcel.Tests.Discovery;

/// <summary>Helpers for the discovery tests: an announced server, its name and port, and browse's JSON.</summary>
internal static class Announced
{
    /// <summary>Starts <c>marcel serve --announce</c> on every interface of <paramref name="host"/>; waits until it listens.</summary>
    public static async Task<(PeerProcess Server, string Name, int Port)> ServeAsync(LanHost host, params string[] extra)
    {
        PeerProcess server = host.Marcel(["serve", "--host", "*", "--port", "0", "--announce", .. extra]);
        string output = await server.WaitForOutputAsync("istening on [::]:");
        return (server, NameIn(output), PortIn(output));
    }

    /// <summary>The instance name from the "Announced on the local network as "NAME"" line.</summary>
    public static string NameIn(string output)
    {
        const string Marker = "Announced on the local network as \"";
        int at = output.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        return output[at..output.IndexOf('"', at)];
    }

    /// <summary>The servers <c>marcel browse --json</c> printed: (name, mode, first address, port).</summary>
    public static async Task<List<(string Name, string? Mode, string Address, int Port)>> BrowseAsync(LanHost host, double seconds = 2)
    {
        await using PeerProcess browse = host.Marcel("browse", "--json", "--wait", seconds.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await browse.WaitForExitAsync());
        using JsonDocument json = JsonDocument.Parse(browse.Output);
        return json.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("name").GetString()!,
            e.GetProperty("mode").GetString(),
            e.GetProperty("addresses")[0].GetString()!,
            e.GetProperty("port").GetInt32())).OrderBy(s => s.Item1, StringComparer.Ordinal).ToList();
    }

    private static int PortIn(string output)
    {
        const string Marker = "istening on [::]:";
        int at = output.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        int end = at;
        while (end < output.Length && char.IsAsciiDigit(output[end])) end++;
        return int.Parse(output[at..end], CultureInfo.InvariantCulture);
    }
}
