using System.Globalization;
using Marcel.Tests.Support;

namespace Marcel.Tests.Dialogue;

/// <summary>The C# ports of the chapter's scripts in samples/, against marcel and the Python originals.</summary>
public class SampleInteropTests
{
    /// <summary>Runs the sample <paramref name="name"/> (built beside the tests) on 127.0.0.1:<paramref name="port"/>.</summary>
    internal static PeerProcess StartSample(string name, int port) =>
        PeerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, name + ".dll"), "127.0.0.1", port.ToString(CultureInfo.InvariantCulture)]);

    [Fact]
    public async Task The_sample_client_talks_with_marcel_serve()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        await using (PeerProcess client = StartSample("ClientElementaire", port))
        {
            await client.WaitForOutputAsync("Connexion établie avec le serveur.\nS> You are connected to the Marcel server. Send your messages.\nC> ");
            await client.WriteLineAsync("bonjour");
            await server.WaitForOutputAsync("C> bonjour\n");
            await server.WriteLineAsync("salut");
            await client.WaitForOutputAsync("S> salut\n");
            await client.WriteLineAsync("FIN");
            await client.WaitForOutputAsync("S> Goodbye!\n");
            await client.WriteLineAsync(string.Empty);
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.EndsWith("Connexion interrompue.\n", client.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Marcel_connect_talks_with_the_sample_server_through_to_its_goodbye()
    {
        int port = Loopback.FreePort();
        await using PeerProcess server = StartSample("ServeurElementaire", port);
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...");
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture));
        await client.WaitForOutputAsync("S> Vous êtes connecté au serveur Marcel. Envoyez vos messages.\n");
        await client.WriteLineAsync("bonjour");
        await server.WaitForOutputAsync("C> bonjour\nS> ");
        await server.WriteLineAsync("salut");
        await client.WaitForOutputAsync("S> salut\n");
        await client.WriteLineAsync("FIN");
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("S> Au revoir !\nConnection interrupted.\n", client.Output, StringComparison.Ordinal);
        await server.WaitForOutputAsync("<R>ecommencer <T>erminer ? ");
        await server.WriteLineAsync("T");
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Fact]
    public async Task The_chapters_python_client_talks_with_the_sample_server()
    {
        string python = ExternalProgram.Require("python3");
        int port = Loopback.FreePort();
        await using PeerProcess server = StartSample("ServeurElementaire", port);
        await server.WaitForOutputAsync("Serveur prêt");
        await using PeerProcess client = PeerProcess.Start(python, ["-u", SeedScript.OnPort("client_py3.py", port)]);
        await client.WaitForOutputAsync("C> ");
        await client.WriteLineAsync("FIN");
        await server.WaitForOutputAsync("C> FIN\nConnexion interrompue.");
        await client.WaitForOutputAsync("S> Au revoir !");
    }
}
