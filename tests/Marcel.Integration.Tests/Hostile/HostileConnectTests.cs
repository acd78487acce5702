using System.Net;
using System.Net.Sockets;
using System.Text;
using Marcel.Tests.Support;

namespace Marcel.Tests.Hostile;

/// <summary><c>marcel connect</c> facing a hostile or vanishing server: one clear line, a proper exit code, never a hang.</summary>
public class HostileConnectTests
{
    [Fact]
    public async Task An_endless_line_from_the_server_ends_the_client_with_exit_4_long_before_100_MB()
    {
        using var listener = Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using Socket server = await listener.AcceptSocketAsync(Timeouts.StepToken());
        long sent = await FloodAsync(server, 100L * 1024 * 1024);
        Assert.Equal(4, await client.WaitForExitAsync());
        Assert.Equal("The server sent a message over 65536 bytes; connection closed.\n", client.Error);
        Assert.True(sent < 100L * 1024 * 1024, $"the client read all {sent} bytes");
    }

    [Fact]
    public async Task Garbage_from_the_server_is_shown_harmlessly_and_its_close_ends_the_client_with_exit_0()
    {
        using var listener = Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using (Socket server = await listener.AcceptSocketAsync(Timeouts.StepToken()))
        {
            var random = new Random(6);
            byte[] garbage = new byte[20_000];
            random.NextBytes(garbage);
            // Some newlines so that the garbage arrives as many messages, and no empty line (a farewell) in between.
            for (int i = 100; i < garbage.Length; i += 100) garbage[i] = (byte)'\n';
            for (int i = 1; i < garbage.Length; i++) if (garbage[i] == '\n' && garbage[i - 1] is (byte)'\n' or (byte)'\r') garbage[i - 1] = (byte)'x';
            garbage[0] = (byte)'x';
            await server.SendAsync(garbage, Timeouts.StepToken());
            await server.SendAsync("\u001b]0;pwned\u0007visible\n"u8.ToArray(), Timeouts.StepToken());
            await client.WaitForOutputAsync("visible\n");
        }

        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.DoesNotContain(client.Output, c => c is '\u001b' or '\u0007' or '\0' or '\u009b');
        Assert.EndsWith("Connection interrupted.\n", client.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_vanishes_with_a_reset_mid_conversation_ends_the_client_promptly()
    {
        using var listener = Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using (Socket server = await listener.AcceptSocketAsync(Timeouts.StepToken()))
        {
            await server.SendAsync("hello then gone\n"u8.ToArray(), Timeouts.StepToken());
            await client.WaitForOutputAsync("S> hello then gone\n");
            Vanish(server);
        }

        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.EndsWith("Connection interrupted.\n", client.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", client.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_vanishes_while_the_client_is_still_typing_ends_it_without_a_hang()
    {
        using var listener = Listen(out int port);
        await using PeerProcess client = MarcelCli.Start("connect", "127.0.0.1", Port(port));
        using (Socket server = await listener.AcceptSocketAsync(Timeouts.StepToken()))
        {
            await client.WriteLineAsync("first");
            byte[] buffer = new byte[64];
            Assert.True(await server.ReceiveAsync(buffer, SocketFlags.None, Timeouts.StepToken()) > 0);
            Vanish(server);
        }

        try
        {
            await client.WriteLineAsync("into the void");
            await client.WriteLineAsync("and again");
        }
        catch (IOException)
        {
            // The client already left: its stdin is closed.
        }

        int code = await client.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.True(code == 0, client.ToString());
        Assert.DoesNotContain("Unhandled", client.Error, StringComparison.Ordinal);
    }

    private static async Task<long> FloodAsync(Socket socket, long total)
    {
        byte[] chunk = Encoding.ASCII.GetBytes(new string('y', 64 * 1024));
        long sent = 0;
        try
        {
            while (sent < total)
            {
                sent += await socket.SendAsync(chunk, SocketFlags.None, Timeouts.StepToken());
            }
        }
        catch (SocketException)
        {
            // The client closed on us: what we wanted.
        }
        catch (OperationCanceledException)
        {
            // The client stopped reading without closing: the exit code assertion will tell.
        }

        return sent;
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    /// <summary>Resets the connection (RST): the server vanishes as if its machine had died.</summary>
    private static void Vanish(Socket server)
    {
        server.LingerState = new LingerOption(true, 0);
        server.Close();
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
