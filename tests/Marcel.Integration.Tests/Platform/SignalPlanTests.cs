using System.Runtime.InteropServices;
using Marcel.Cli.Platform;
using Marcel.Core;
using Marcel.Tests.Support;

namespace Marcel.Tests.Platform;

/// <summary>Which signals stop a command gracefully on each system, and with which exit code.</summary>
public class SignalPlanTests
{
    [Theory]
    [InlineData(OsKind.Linux)]
    [InlineData(OsKind.MacOS)]
    public void Unix_shuts_down_on_Ctrl_C_SIGTERM_and_SIGHUP_and_leaves_SIGQUIT_to_the_system(OsKind os)
    {
        Assert.Equal(
            [(PosixSignal.SIGINT, 130, false), (PosixSignal.SIGTERM, 143, false), (PosixSignal.SIGHUP, 129, false)],
            SignalPlan.For(os).Select(r => (r.Signal, r.ExitCode, r.HoldUntilShutDown)));
    }

    [Fact]
    public void Windows_shuts_down_on_Ctrl_C_Ctrl_Break_console_close_and_shutdown_holding_the_process_for_the_last_two()
    {
        Assert.Equal(
            [(PosixSignal.SIGINT, 130, false), (PosixSignal.SIGQUIT, 131, false), (PosixSignal.SIGHUP, 129, true), (PosixSignal.SIGTERM, 143, true)],
            SignalPlan.For(OsKind.Windows).Select(r => (r.Signal, r.ExitCode, r.HoldUntilShutDown)));
        Assert.InRange(SignalPlan.WindowsCloseGrace, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)); // Windows kills after 5 s
    }

    [Fact]
    public async Task SIGHUP_closes_the_conversation_with_the_goodbye_and_the_server_exits_0()
    {
        (PeerProcess server, int port) = await MarcelCli.ServeAsync();
        await using (server)
        {
            await using LineClient client = await LineClient.ConnectAsync(port);
            Assert.Equal("You are connected to the Marcel server. Send your messages.", await client.ReadLineAsync());
            await server.WaitForOutputAsync("Client connected");
            server.Signal(1);
            Assert.Equal(["Goodbye!"], await client.ReadToEndAsync());
            Assert.Equal(0, await server.WaitForExitAsync());
        }
    }
}
