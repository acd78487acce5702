using System.Globalization;
using Marcel.Tests.Dialogue;
using Marcel.Tests.Support;

namespace Marcel.Tests.Datagrams;

/// <summary>
/// The chapter's two scripts over UDP, in Python (samples/python/*_udp_py3.py) and in C# (samples/*Udp), against
/// <c>marcel serve --udp</c> and <c>marcel connect --udp</c>, and against each other: the whole dialogue, both ways.
/// </summary>
public class DatagramSampleTests
{
    private const string Greeting = "Vous êtes connecté au serveur Marcel. Envoyez vos messages.";
    private static readonly Dictionary<string, string> French = new() { ["LANG"] = "fr_FR.UTF-8" };

    public static TheoryData<string> Languages => ["python", "csharp"];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_udp_client_script_holds_the_whole_dialogue_with_marcel_serve_udp(string language)
    {
        // Marcel in French speaks the chapter's words: the client's side reads as it does against the sample server.
        PeerProcess server = MarcelCli.Start(["serve", "--udp", "--host", "127.0.0.1", "--port", "0"], French);
        await using (server)
        {
            await using PeerProcess client = StartClient(language, await MarcelCli.ListeningPortAsync(server));
            await client.WaitForOutputAsync($"Connexion établie avec le serveur.\nS> {Greeting}\nC> ");
            await server.WaitForOutputAsync("Client connecté, adresse IP 127.0.0.1, port ");
            await client.WriteLineAsync("bonjour");
            await server.WaitForOutputAsync("C> bonjour\n");
            await server.WriteLineAsync("salut");
            await client.WaitForOutputAsync("S> salut\nC> ");
            await client.WriteLineAsync("FIN");
            await server.WaitForOutputAsync("C> FIN\n");
            await server.WaitForOutputAsync("(Le client a dit au revoir.)");
            // As over TCP, the client shows the goodbye and asks again; the server's empty datagram then ends it.
            await client.WaitForOutputAsync("S> Au revoir !\nC> ");
            await client.WriteLineAsync(string.Empty);
            Assert.Equal(0, await client.WaitForExitAsync());
            Assert.Equal(
                $"Connexion établie avec le serveur.\nS> {Greeting}\nC> S> salut\nC> S> Au revoir !\nC> Connexion interrompue.\n",
                client.Output);
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Marcel_connect_udp_holds_the_whole_dialogue_with_the_udp_server_script(string language)
    {
        int port = UdpPeer.UnusedPort();
        await using PeerProcess server = StartServer(language, port);
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...\n");
        await using PeerProcess client = MarcelCli.Start("connect", "--udp", "127.0.0.1", Port(port));
        await client.WaitForOutputAsync("Datagrams to 127.0.0.1:" + Port(port));
        await client.WriteLineAsync("bonjour");
        await server.WaitForOutputAsync("Client connecté, adresse IP 127.0.0.1, port ");
        await server.WaitForOutputAsync("C> bonjour\nS> ");
        await client.WaitForOutputAsync($"S> {Greeting}\n");
        await server.WriteLineAsync("salut");
        await client.WaitForOutputAsync("S> salut\n");
        await client.WriteLineAsync("FIN");
        await server.WaitForOutputAsync("C> FIN\nConnexion interrompue.\n<R>ecommencer <T>erminer ? ");
        Assert.Equal(0, await client.WaitForExitAsync()); // On the empty datagram after "Au revoir !".
        Assert.EndsWith($"S> {Greeting}\nS> salut\nS> Au revoir !\nConnection interrupted.\n", client.Output, StringComparison.Ordinal);
        await server.WriteLineAsync("T");
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Theory]
    [InlineData("python", "csharp")]
    [InlineData("csharp", "python")]
    public async Task The_udp_scripts_talk_with_each_other_across_languages(string clientLanguage, string serverLanguage)
    {
        int port = UdpPeer.UnusedPort();
        await using PeerProcess server = StartServer(serverLanguage, port);
        await server.WaitForOutputAsync("Serveur prêt, en attente de requêtes...\n");
        await using PeerProcess client = StartClient(clientLanguage, port);
        await client.WaitForOutputAsync($"Connexion établie avec le serveur.\nS> {Greeting}\nC> ");
        await client.WriteLineAsync("bonjour");
        await server.WaitForOutputAsync("C> bonjour\nS> ");
        await server.WriteLineAsync("salut");
        await client.WaitForOutputAsync("S> salut\nC> ");
        await client.WriteLineAsync("FIN");
        await server.WaitForOutputAsync("C> FIN\nConnexion interrompue.\n<R>ecommencer <T>erminer ? ");
        await client.WaitForOutputAsync("S> Au revoir !\nC> ");
        await client.WriteLineAsync(string.Empty);
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.EndsWith("S> Au revoir !\nC> Connexion interrompue.\n", client.Output, StringComparison.Ordinal);
        await server.WriteLineAsync("T");
        Assert.Equal(0, await server.WaitForExitAsync());
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_udp_client_script_says_the_connection_failed_when_no_server_is_there(string language)
    {
        await using PeerProcess client = StartClient(language, UdpPeer.UnusedPort());
        await client.WaitForExitAsync();
        Assert.Equal("La connexion a échoué.\n", client.Output); // From the ICMP "port unreachable", not a hang.
    }

    private static PeerProcess StartClient(string language, int port) => language == "python"
        ? PeerProcess.Start(ExternalProgram.Require("python3"), ["-u", SeedScript.OnPort("client_udp_py3.py", port)])
        : SampleInteropTests.StartSample("ClientElementaireUdp", port);

    private static PeerProcess StartServer(string language, int port) => language == "python"
        ? PeerProcess.Start(ExternalProgram.Require("python3"), ["-u", SeedScript.OnPort("serveur_udp_py3.py", port)])
        : SampleInteropTests.StartSample("ServeurElementaireUdp", port);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
