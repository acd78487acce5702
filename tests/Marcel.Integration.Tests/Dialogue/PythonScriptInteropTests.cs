using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>
/// The chapter's own Python 3 scripts against marcel, both ways, with their real quirks: neither sends a newline,
/// the server decodes only its first message (so its later FIN test never fires), and the client shows the first
/// greeting as a bytes literal.
/// </summary>
public class PythonScriptInteropTests
{
    private static readonly Dictionary<string, string> French = new() { ["LANG"] = "fr_FR.UTF-8" };

    [Fact]
    public async Task The_chapters_client_talks_with_marcel_serve_through_to_the_goodbye()
    {
        string python = ExternalProgram.Require("python3");
        PeerProcess server = MarcelCli.Start(["serve", "--host", "127.0.0.1", "--port", "0"], French);
        await using (server)
        {
            int port = await MarcelCli.ListeningPortAsync(server);
            await using PeerProcess client = PeerProcess.Start(python, ["-u", SeedScript.OnPort("client_py3.py", port)]);

            await client.WaitForOutputAsync("Connexion établie avec le serveur.");
            // The first recv is never decoded: the greeting shows as bytes, with our newline in it.
            await client.WaitForOutputAsync(@"S> b'Vous \xc3\xaates connect\xc3\xa9 au serveur Marcel. Envoyez vos messages.\n'");
            await client.WaitForOutputAsync("C> ");

            await client.WriteLineAsync("bonjour"); // Python sends "bonjour" with no newline: flushed after the delay.
            await server.WaitForOutputAsync("C> bonjour\n");
            await server.WriteLineAsync("salut !");
            await client.WaitForOutputAsync("S> salut !\n");

            await client.WriteLineAsync("fin");
            await server.WaitForOutputAsync("C> fin\n");
            await client.WaitForOutputAsync("S> Au revoir !\n");
            // The script notices the close only at its next recv, after the user's next input.
            await client.WriteLineAsync(string.Empty);
            await client.WaitForOutputAsync("Connexion interrompue.");
            Assert.Equal(0, await client.WaitForExitAsync());
            await server.WaitForOutputAsync("<R>ecommencer <T>erminer ? ");
        }
    }

    [Fact]
    public async Task Marcel_connect_talks_with_the_chapters_server_whose_FIN_test_never_fires_after_the_first_message()
    {
        string python = ExternalProgram.Require("python3");
        int port = Loopback.FreePort();
        await using PeerProcess server = PeerProcess.Start(python, ["-u", SeedScript.OnPort("serveur_py3.py", port)]);
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...");
        await using PeerProcess client = MarcelCli.Start(["connect", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)], French);

        await client.WaitForOutputAsync("S> Vous êtes connecté au serveur Marcel. Envoyez vos messages.\n");
        await server.WaitForOutputAsync("Client connecté, adresse IP 127.0.0.1, port ");
        await client.WriteLineAsync("bonjour");
        await server.WaitForOutputAsync("C> bonjour\n"); // Decoded: the first message.
        await server.WriteLineAsync("salut");
        await client.WaitForOutputAsync("S> salut\n");

        await client.WriteLineAsync("FIN");
        await server.WaitForOutputAsync(@"C> b'FIN\n'"); // Never decoded again: the script's FIN test cannot match.
        await server.WriteLineAsync("FIN");                 // Its operator ends it instead; marcel stops on the server's FIN.
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("S> salut\nConnexion interrompue.\n", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_raw_chunks_the_chapters_server_hears_FIN_and_says_Au_revoir()
    {
        string python = ExternalProgram.Require("python3");
        int port = Loopback.FreePort();
        await using PeerProcess server = PeerProcess.Start(python, ["-u", SeedScript.OnPort("serveur_py3.py", port)]);
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...");
        await using PeerProcess client = MarcelCli.Start(["connect", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), "--eol", "none"], French);

        await client.WaitForOutputAsync("S> Vous êtes connecté");
        await client.WriteLineAsync("FIN");
        await server.WaitForOutputAsync("Connexion interrompue.");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("S> Au revoir !\nConnexion interrompue.\n", client.Output, StringComparison.Ordinal);
        await server.WaitForOutputAsync("<R>ecommencer <T>erminer ? ");
        await server.WriteLineAsync("T");
        Assert.Equal(0, await server.WaitForExitAsync());
    }
}
