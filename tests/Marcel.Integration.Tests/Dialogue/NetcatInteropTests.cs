using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>netcat (OpenBSD) as the other end, both ways.</summary>
public class NetcatInteropTests
{
    [Fact]
    public async Task Nc_gets_the_greeting_as_a_line_its_CRLF_lines_are_understood_and_fin_gets_the_goodbye()
    {
        string nc = ExternalProgram.Require("nc");
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            // -C sends CR LF, as telnet does.
            await using PeerProcess client = PeerProcess.Start(nc, ["-C", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
            await client.WaitForOutputAsync("You are connected to the Marcel server. Send your messages.\n");
            await client.WriteLineAsync("hello from nc");
            await server.WaitForOutputAsync("C> hello from nc\n");
            await client.WriteLineAsync("fin");
            await client.WaitForOutputAsync("Goodbye!\n");
            await server.WaitForOutputAsync("(The client said goodbye.)");
            // OpenBSD nc keeps reading its stdin after the server closed; it exits once that ends.
            client.CloseInput();
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.EndsWith("Goodbye!\n", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Marcel_connect_talks_with_a_listening_nc()
    {
        string nc = ExternalProgram.Require("nc");
        int port = Loopback.FreePort();
        await using PeerProcess listener = PeerProcess.Start(nc, ["-v", "-l", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);
        await listener.WaitForErrorAsync("Listening");
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await client.WaitForOutputAsync("Connection established with the server.");
        await listener.WriteLineAsync("hi from nc");
        await client.WaitForOutputAsync("S> hi from nc\n");
        await client.WriteLineAsync("hi from marcel");
        await listener.WaitForOutputAsync("hi from marcel\n");
        await listener.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
    }
}
