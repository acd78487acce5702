using Marcel.Tests.Support;

namespace Marcel.Tests.Cli;

/// <summary>What the tests' own marcel processes leave behind: nothing in /tmp, even when they are killed.</summary>
public class SpawnedProcessTests
{
    [Fact]
    public async Task A_killed_marcel_leaves_no_diagnostics_pipe_in_the_temporary_folder()
    {
        (PeerProcess server, _) = await MarcelCli.ServeAsync();
        int pid = server.Id;
        await server.DisposeAsync(); // Killed, as most peers of the suite end: no clean exit removes anything.

        // The runtime's diagnostics IPC makes clr-debug-pipe-PID-* (debugger) and dotnet-diagnostic-PID-* (EventPipe).
        string[] left = [.. Directory.EnumerateFiles(Path.GetTempPath(), $"clr-debug-pipe-{pid}-*"),
            .. Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*")];
        Assert.Empty(left);
    }
}
