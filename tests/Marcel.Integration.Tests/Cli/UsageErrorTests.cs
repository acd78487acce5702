using Marcel.Tests.Support;

namespace Marcel.Tests.Cli;

/// <summary>
/// A mistyped command line, as a new user types it: one line naming the option and what it accepts (in the user's
/// language), the command's one-line usage and where to read more, exit 1; never a stack trace, never the whole help.
/// </summary>
public class UsageErrorTests
{
    [Theory]
    [InlineData("connect localhost abc", "marcel: port: 'abc' is not a port number from 1 to 65535 or a service name")]
    [InlineData("connect 127.0.0.1 99999999999", "marcel: port: '99999999999' is not a port number from 1 to 65535")]
    [InlineData("serve --port abc", "marcel: --port: 'abc' is not a port number from 0 to 65535")]
    [InlineData("serve --max-line lots", "marcel: --max-line: 'lots' is not a whole number.")]
    [InlineData("serve --chat --max-clients x", "marcel: --max-clients: 'x' is not a whole number.")]
    [InlineData("serve --eol LF2", "marcel: --eol: 'LF2' is not lf, crlf or none.")]
    [InlineData("serve --web 8080", "marcel: --web serves the chat room to browsers: add --chat.")]
    [InlineData("serve --chat --web-origin https://class.example.org", "marcel: --web-origin needs --web.")]
    [InlineData("serve --chat --web 0 --web-origin class.example.org", "marcel: --web-origin: 'class.example.org' is not an origin; write scheme://host[:port]")]
    [InlineData("serve --chat --web ::1:8080", "marcel: --web: '::1:8080' is not a port or HOST:PORT (port 0 to 65535).")]
    [InlineData("serve --chat --web 65536", "marcel: --web: '65536' is not a port or HOST:PORT")]
    [InlineData("fetch -m abc http://localhost/", "marcel: --max-time: 'abc' is not a number (such as 2.5).")]
    [InlineData("serve --chat --udp-port abc", "marcel: --udp-port: 'abc' is not a port number from 0 to 65535")]
    [InlineData("serve --chat --udp-port 70000", "marcel: --udp-port: '70000' is not a port number from 0 to 65535")]
    [InlineData("fetch --max-redirs many http://localhost/", "marcel: --max-redirs: 'many' is not a whole number.")]
    [InlineData("fetch --connect-timeout soon http://localhost/", "marcel: --connect-timeout: 'soon' is not a number (such as 2.5).")]
    [InlineData("fetch -C abc http://localhost/", "marcel: --continue-at: 'abc' is not a byte offset (0 or more) or - (from the output file's size).")]
    [InlineData("connect -w soon", "marcel: --timeout: 'soon' is not a number")]
    [InlineData("fetch -Z", "marcel: unknown option '-Z'")]
    [InlineData("fetch -Q http://localhost/", "marcel: unknown option '-Q'")]
    [InlineData("connect -Z", "marcel: unknown option '-Z'")]
    [InlineData("serve --prot 6000", "marcel: unknown option '--prot'; did you mean `--port`?")]
    [InlineData("sevre", "marcel: unknown command 'sevre'; did you mean `serve`?")]
    [InlineData("conect", "marcel: unknown command 'conect'; did you mean `connect`?")]
    [InlineData("connect [::1]:50000 6000", "marcel: the port is given twice")]
    [InlineData("connect localhost:abc", "marcel: port: 'abc' is not a port number")]
    [InlineData("serve --udp --max-datagram 100", "marcel: --max-datagram must be between 256 and 65507 bytes.")]
    [InlineData("connect --udp --max-datagram 70000 localhost 50000", "marcel: --max-datagram must be between 256 and 65507 bytes.")]
    [InlineData("serve --udp --tls", "marcel: --tls does not work with --udp: datagrams are never encrypted here (there is no DTLS); leave out one or the other.")]
    [InlineData("serve --chat --udp --tls", "marcel: --tls does not work with --udp: datagrams are never encrypted here")]
    [InlineData("serve --chat --tls --udp-port 50001", "marcel: --tls does not work with --udp-port: datagrams are never encrypted here")]
    [InlineData("connect --udp --tls localhost 50000", "marcel: --tls does not work with --udp: datagrams are never encrypted here")]
    [InlineData("serve --chat --udp --web 8080", "marcel: --web does not work with --udp: the browser room sits beside a TCP room (use --udp-port for datagram members).")]
    [InlineData("serve --udp-port 50001", "marcel: --udp-port adds datagram members to a chat room: add --chat (--udp alone serves the dialogue over UDP).")]
    [InlineData("serve --chat --udp --udp-port 50001", "marcel: --udp-port adds datagram members to a TCP room; with --udp every member is a datagram peer already.")]
    [InlineData("serve --udp --allow 10.0.0.0/8", "marcel: --allow goes with --chat: the dialogue server has no access list.")]
    [InlineData("serve --deny 10.0.0.1", "marcel: --deny goes with --chat: the dialogue server has no access list.")]
    [InlineData("serve --chat --max-per-address 4", "marcel: --max-per-address limits a room's datagram members: it goes with --chat and --udp or --udp-port.")]
    [InlineData("serve --chat --udp --max-per-address 0", "marcel: --max-per-address must be between 1 and 1000000.")]
    [InlineData("serve --chat --web-origin http://localhost:8080", "marcel: --web-origin needs --web.")]
    [InlineData("serve --udp --keepalive 30", "marcel: --keepalive does not work with --udp: it probes TCP connections, and datagrams have none (--idle-timeout lets silent peers go).")]
    [InlineData("serve --chat --udp --keepalive 30", "marcel: --keepalive does not work with --udp: it probes TCP connections")]
    [InlineData("serve --udp --flush-delay 0", "marcel: --flush-delay does not work with --udp: each datagram is a whole message, nothing waits for an end of line.")]
    [InlineData("serve --max-datagram 1200", "marcel: --max-datagram sizes datagrams: it goes with --udp or --udp-port.")]
    [InlineData("serve --chat --max-datagram 1200", "marcel: --max-datagram sizes datagrams: it goes with --udp or --udp-port.")]
    [InlineData("serve --max-clients 5", "marcel: --max-clients limits the chat room: it goes with --chat (the dialogue server does not use it).")]
    [InlineData("serve --udp --max-queue 4096", "marcel: --max-queue limits the chat room: it goes with --chat (the dialogue server does not use it).")]
    [InlineData("serve --idle-timeout 30", "marcel: --idle-timeout goes with --chat or --udp: the TCP dialogue never closes a silent client.")]
    [InlineData("serve --chat -k", "marcel: --keep-open is for the dialogue: with --chat the room never asks Restart/Terminate, it serves until /quit or Ctrl-C.")]
    [InlineData("serve --tls-handshake-timeout 5", "marcel: --tls-handshake-timeout needs --tls.")]
    [InlineData("serve --announce-ttl 60", "marcel: --announce-ttl goes with --announce: without it nothing is announced.")]
    [InlineData("serve --chat --mdns builtin", "marcel: --mdns goes with --announce: without it nothing is announced.")]
    [InlineData("connect --max-datagram 1200 localhost 50000", "marcel: --max-datagram sizes datagrams: it goes with --udp.")]
    [InlineData("connect --udp -w 3 localhost 50000", "marcel: --timeout does not work with --udp: there is no connection to wait for (--wait sets how long to wait for the answers).")]
    [InlineData("connect --udp --flush-delay 0 localhost 50000", "marcel: --flush-delay does not work with --udp: each datagram is a whole message")]
    [InlineData("connect --udp --trust-announced localhost 50000", "marcel: --trust-announced does not work with --udp: connect --udp takes an address and never looks for announced servers.")]
    [InlineData("connect --udp --mdns avahi localhost 50000", "marcel: --mdns does not work with --udp: connect --udp takes an address")]
    public async Task A_bad_command_line_gets_one_error_line_the_usage_and_a_pointer_to_help(string commandLine, string error)
    {
        string[] arguments = commandLine.Split(' ');
        (int exitCode, string stdout, string stderr) = await RunAsync(arguments);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, stdout);
        string[] lines = stderr.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 3, $"expected error, usage, pointer; got:\n{stderr}");
        Assert.StartsWith(error, lines[0], StringComparison.Ordinal);
        string command = arguments[0] is "serve" or "connect" or "fetch" ? "marcel " + arguments[0] : "marcel";
        Assert.StartsWith($"Usage: {command}", lines[1], StringComparison.Ordinal);
        Assert.Equal($"`{command} --help` for more.", lines[2]);
    }

    [Fact]
    public async Task In_french_the_parse_error_and_the_usage_are_french()
    {
        (int exitCode, _, string stderr) = await RunAsync("--lang", "fr", "connect", "localhost", "abc");

        Assert.Equal(1, exitCode);
        Assert.Equal(
            "marcel: port : « abc » n'est pas un numéro de port de 1 à 65535 ou un nom de service (comme dans /etc/services).\n"
            + "Utilisation : marcel connect [<host> [<port>]] [options]\n"
            + "`marcel connect --help` pour en savoir plus.\n",
            stderr);
    }

    [Fact]
    public async Task In_french_an_option_udp_cannot_honour_is_refused_in_french()
    {
        (int exitCode, _, string stderr) = await RunAsync("--lang", "fr", "serve", "--udp", "--tls");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("marcel: --tls ne va pas avec --udp : les datagrammes ne sont jamais chiffrés ici (pas de DTLS) ; retirez l'un ou l'autre.\n", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve --web 8080", "marcel: --web sert le salon aux navigateurs : ajoutez --chat.")]
    [InlineData("serve --chat --web-origin https://classe.example.org", "marcel: --web-origin demande --web.")]
    [InlineData("serve --chat --web abc", "marcel: --web : « abc » n'est ni un port ni HÔTE:PORT (port de 0 à 65535).")]
    public async Task In_french_the_browser_rooms_errors_are_french(string commandLine, string error)
    {
        (int exitCode, _, string stderr) = await RunAsync(["--lang", "fr", .. commandLine.Split(' ')]);

        Assert.Equal(1, exitCode);
        Assert.Equal(error, stderr.Split('\n')[0]);
        Assert.Contains("Utilisation : marcel serve", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve --udp --keepalive 30", "marcel: --keepalive ne va pas avec --udp : il sonde les connexions TCP, et les datagrammes n'en ont pas (--idle-timeout congédie les pairs muets).")]
    [InlineData("serve --udp --flush-delay 0", "marcel: --flush-delay ne va pas avec --udp : chaque datagramme est un message entier, rien n'attend de fin de ligne.")]
    [InlineData("serve --max-datagram 1200", "marcel: --max-datagram règle la taille des datagrammes : il va avec --udp ou --udp-port.")]
    [InlineData("serve --max-clients 5", "marcel: --max-clients limite le salon : il va avec --chat (le serveur de dialogue ne s'en sert pas).")]
    [InlineData("serve --idle-timeout 30", "marcel: --idle-timeout va avec --chat ou --udp : le dialogue TCP ne ferme jamais un client silencieux.")]
    [InlineData("serve --chat --keep-open", "marcel: --keep-open concerne le dialogue : avec --chat, le salon ne demande jamais Recommencer/Terminer, il sert jusqu'à /quit ou Ctrl-C.")]
    [InlineData("serve --tls-handshake-timeout 5", "marcel: --tls-handshake-timeout demande --tls.")]
    [InlineData("serve --announce-ttl 60", "marcel: --announce-ttl va avec --announce : sans lui, rien n'est annoncé.")]
    [InlineData("connect --max-datagram 1200 localhost 50000", "marcel: --max-datagram règle la taille des datagrammes : il va avec --udp.")]
    [InlineData("connect --udp --timeout 3 localhost 50000", "marcel: --timeout ne va pas avec --udp : il n'y a pas de connexion à attendre (--wait règle l'attente des réponses).")]
    [InlineData("connect --udp --trust-announced localhost 50000", "marcel: --trust-announced ne va pas avec --udp : connect --udp prend une adresse et ne cherche jamais de serveur annoncé.")]
    public async Task In_french_an_option_the_mode_would_ignore_is_refused_in_french(string commandLine, string error)
    {
        string[] arguments = commandLine.Split(' ');
        (int exitCode, _, string stderr) = await RunAsync(["--lang", "fr", .. arguments]);

        Assert.Equal(1, exitCode);
        Assert.Equal(error, stderr.Split('\n')[0]);
        Assert.Contains("Utilisation : marcel " + arguments[0], stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("connect")]
    [InlineData("fetch")]
    public async Task Version_is_understood_after_a_command_too(string command)
    {
        (int exitCode, string stdout, string stderr) = await RunAsync(command, "--version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("marcel 0.", stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stderr);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        await using PeerProcess marcel = MarcelCli.Start(arguments);
        marcel.CloseInput();
        int exitCode = await marcel.WaitForExitAsync();
        return (exitCode, marcel.Output, marcel.Error);
    }
}
