using System.Reflection;
using Marcel.Tests.Support;

namespace Marcel.Tests.Cli;

/// <summary><c>marcel --version</c> and the <c>[suggest]</c> directive that dotnet-suggest uses for shell completion.</summary>
public class VersionAndCompletionTests
{
    [Fact]
    public async Task Version_prints_the_build_version_then_the_runtime()
    {
        string expected = typeof(global::Marcel.Cli.ExitCodes).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        string[] lines = (await RunAsync("--version")).TrimEnd().Split('\n');

        Assert.Equal(2, lines.Length);
        Assert.Equal($"marcel {expected}", lines[0]);
        Assert.StartsWith("0.", expected, StringComparison.Ordinal); // the project Version, with git describe after a '+'
        Assert.Matches(@"^\.NET 10\.\d+\.\d+.* \(JIT, [a-z0-9.-]+\)$", lines[1]);
    }

    [Fact]
    public async Task Suggest_directive_completes_command_names()
    {
        string suggestions = await RunAsync("[suggest:9]", "marcel se");

        Assert.Contains("serve", suggestions.Split('\n'));
        Assert.DoesNotContain("connect", suggestions.Split('\n'));
    }

    [Fact]
    public async Task Suggest_directive_completes_the_values_of_an_enum_option()
    {
        string suggestions = await RunAsync("[suggest:19]", "marcel serve --eol ");

        // The names the help and the parser use, lowercase as the text says, not the enum's CrLf/Lf/None.
        Assert.Equal(["crlf", "lf", "none"], suggestions.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        await using PeerProcess marcel = MarcelCli.Start(arguments);
        int exitCode = await marcel.WaitForExitAsync();
        Assert.True(exitCode == 0, $"marcel exited with {exitCode}\n{marcel}");
        return marcel.Output.ReplaceLineEndings("\n");
    }
}
