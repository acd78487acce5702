using System.Globalization;
using System.Text.RegularExpressions;

namespace Marcel.Web.Tests.Support;

/// <summary>The real <c>marcel serve --chat --web</c> on loopback: its TCP port and its page, read from its start-up lines.</summary>
internal static partial class WebServer
{
    /// <summary>Starts the room with <c>--web PORT</c> (0: a free one) and waits for its <c>Page:</c> line.</summary>
    public static async Task<(PeerProcess Server, int TcpPort, Uri Page)> StartAsync(int webPort = 0, int tcpPort = 0, IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
    {
        PeerProcess server = MarcelCli.Start(
            ["serve", "--chat", "--host", "127.0.0.1", "--port", tcpPort.ToString(CultureInfo.InvariantCulture), "--web", webPort.ToString(CultureInfo.InvariantCulture), .. extra],
            environment);
        Uri pageAt = await PageAsync(server);
        int tcp = await MarcelCli.ListeningPortAsync(server);
        return (server, tcp, pageAt);
    }

    /// <summary>The address of the page, from the server's <c>Page: URL</c> start-up line (waited for).</summary>
    public static async Task<Uri> PageAsync(PeerProcess server)
    {
        string output = await server.WaitForOutputAsync("/\n", timeout: Timeouts.Startup);
        return new Uri(PageLine().Match(output).Groups[1].Value);
    }

    [GeneratedRegex(@"Page ?: (https?://\S+/)")]
    private static partial Regex PageLine();
}
