using System.Text;

namespace Marcel.Tests.Support;

/// <summary>One finished <c>marcel fetch</c>: its exit code and what it wrote.</summary>
internal sealed record FetchRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout:\n{Stdout}\n--- stderr:\n{Stderr}";
}

/// <summary>
/// Runs the real <c>marcel fetch</c> as a user would: stdout into a pipe, into a file (through the shell, so the
/// bytes are not decoded), or on a pseudo-terminal (<c>script</c>). The proxy variables of the test machine are
/// blanked, so only what a test sets counts.
/// </summary>
internal static class FetchProcess
{
    private static readonly string[] ProxyVariables = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "MARCEL_PROXY_PASSWORD"];

    public static Task<FetchRun> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    public static Task<FetchRun> RunAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment) =>
        RunAsync(["fetch", .. arguments], environment, workingDirectory: null);

    /// <summary>Runs <c>marcel --lang fr fetch …</c>.</summary>
    public static Task<FetchRun> RunInFrenchAsync(params string[] arguments) =>
        RunAsync(["--lang", "fr", "fetch", .. arguments], null, workingDirectory: null);

    /// <summary>Runs in <paramref name="folder"/>, where <c>-O</c> writes.</summary>
    public static Task<FetchRun> RunInAsync(string folder, params string[] arguments) =>
        RunAsync(["fetch", .. arguments], null, folder);

    private static async Task<FetchRun> RunAsync(string[] commandLine, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "marcel.dll");
        await using PeerProcess process = PeerProcess.Start("dotnet", [dll, .. commandLine], Environment(environment), workingDirectory);
        int code = await process.WaitForExitAsync();
        return new FetchRun(code, process.Output, process.Error);
    }

    /// <summary>Runs with stdout redirected to <paramref name="file"/> by the shell, as <c>marcel fetch URL &gt; file</c>.</summary>
    public static async Task<FetchRun> RunToFileAsync(string file, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "marcel.dll");
        await using PeerProcess process = PeerProcess.Start("sh", ["-c", "out=$1; shift; exec dotnet \"$@\" > \"$out\"", "sh", file, dll, "fetch", .. arguments], Environment(null));
        int code = await process.WaitForExitAsync();
        return new FetchRun(code, string.Empty, process.Error);
    }

    /// <summary>Starts it on a pseudo-terminal (stdin, stdout and stderr all a tty), through util-linux's script.</summary>
    public static PeerProcess StartOnTerminal(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        StartOnTerminal(environment, stdoutFile: null, arguments);

    /// <summary>
    /// As <see cref="StartOnTerminal(IReadOnlyDictionary{string, string}?, string[])"/>, with stdout redirected by the
    /// shell to <paramref name="stdoutFile"/> when given (stdin and stderr stay the terminal).
    /// </summary>
    private static PeerProcess StartOnTerminal(IReadOnlyDictionary<string, string>? environment, string? stdoutFile, string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "marcel.dll");
        string command = string.Join(' ', new[] { "dotnet", dll, "fetch" }.Concat(arguments).Select(Quote))
            + (stdoutFile is null ? string.Empty : " > " + Quote(stdoutFile));
        return PseudoTerminal.Start(command, Environment(environment));
    }

    public static Task<FetchRun> RunOnTerminalAsync(params string[] arguments) => RunOnTerminalAsync(stdoutFile: null, arguments);

    /// <summary>On a terminal with stdout redirected by the shell to <paramref name="stdoutFile"/>, as <c>marcel fetch URL &gt; file</c> typed there.</summary>
    public static Task<FetchRun> RunOnTerminalToFileAsync(string stdoutFile, params string[] arguments) => RunOnTerminalAsync(stdoutFile, arguments);

    private static async Task<FetchRun> RunOnTerminalAsync(string? stdoutFile, string[] arguments)
    {
        await using PeerProcess process = StartOnTerminal(null, stdoutFile, arguments);
        int code = await process.WaitForExitAsync();
        return new FetchRun(code, process.Output, process.Error);
    }

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string>? extra)
    {
        var environment = ProxyVariables.ToDictionary(name => name, _ => string.Empty);
        foreach ((string key, string value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
