namespace Marcel.Web.Tests.Support;

/// <summary><c>wscat</c> (npm <c>wscat@6.1.0</c>, installed by <c>.ci/run</c>): a WebSocket client nobody here wrote.</summary>
internal static class Wscat
{
    /// <summary>
    /// Connects to the room's socket (<c>-o</c> sets the page's origin; none: wscat sends none) and waits for the server's
    /// first words, <paramref name="greeting"/>: wscat reads its stdin only once connected, and without a terminal it
    /// prints nothing but what it receives (each message on its own line).
    /// </summary>
    public static async Task<PeerProcess> ConnectAsync(Uri page, string greeting, string? origin = null)
    {
        string wscat = ExternalProgram.Require("wscat");
        string url = $"{(page.Scheme == "https" ? "wss" : "ws")}://{page.Authority}/ws";
        PeerProcess process = PeerProcess.Start(wscat, ["-c", url, .. origin is null ? Array.Empty<string>() : ["-o", origin]]);
        await process.WaitForOutputAsync(greeting);
        return process;
    }
}
