using System.CommandLine;
using Marcel.Cli.CommandLine;

namespace Marcel.Tests.Cli;

/// <summary>
/// Every typed option of every command, given a value it cannot take, gets our one-line error naming it: never
/// System.CommandLine's "as expected type 'System.Nullable`1[System.Int32]'".
/// </summary>
public class ValueParsersTests
{
    public static TheoryData<string, string> TypedOptions()
    {
        var rows = new TheoryData<string, string>();
        foreach ((string path, Option option) in Walk(MarcelCommand.Create(), string.Empty))
        {
            if (option.ValueType != typeof(bool) && option.ValueType != typeof(void) && option.ValueType != typeof(string) && option.ValueType != typeof(string[]))
            {
                rows.Add(path, option.Name);
            }
        }

        return rows;
    }

    [Fact]
    public void Every_command_has_typed_options_to_check()
    {
        // The walk itself: were it to find nothing, the theory below would check nothing.
        Assert.Contains(TypedOptions(), row => row.Data.Item2 == "--udp-port");
        Assert.Contains(TypedOptions(), row => row.Data.Item2 == "--continue-at");
    }

    /// <summary>
    /// The options that are only valid beside others: given alone, the combination's own usage error is what the user
    /// needs first, so each is checked in the company it needs.
    /// </summary>
    private static readonly Dictionary<string, string[]> Companions = new(StringComparer.Ordinal)
    {
        ["--udp-port"] = ["--chat"],
        ["--max-per-address"] = ["--chat", "--udp"],
        ["--max-clients"] = ["--chat"],
        ["--max-queue"] = ["--chat"],
        ["--idle-timeout"] = ["--chat"],
        ["--max-datagram"] = ["--udp"],
        ["--tls-handshake-timeout"] = ["--tls"],
        ["--announce-ttl"] = ["--announce"],
    };

    [Theory]
    [MemberData(nameof(TypedOptions))]
    public void A_bad_value_is_told_in_one_line_naming_the_option(string path, string option)
    {
        string[] companions = Companions.GetValueOrDefault(option, []);
        ParseResult parse = MarcelCommand.Parse(MarcelCommand.Create(), [.. path.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. companions, option, "abc!"]);

        Assert.Contains(parse.Errors, e => e.Message.StartsWith(option + ": 'abc!' is not ", StringComparison.Ordinal));
        Assert.All(parse.Errors, e => Assert.DoesNotContain("System.", e.Message, StringComparison.Ordinal));
        Assert.All(parse.Errors, e => Assert.DoesNotContain('\n', e.Message));
    }

    private static IEnumerable<(string Path, Option Option)> Walk(Command command, string path)
    {
        foreach (Option option in command.Options)
        {
            yield return (path, option);
        }

        foreach (Command subcommand in command.Subcommands)
        {
            foreach ((string, Option) found in Walk(subcommand, (path + " " + subcommand.Name).Trim()))
            {
                yield return found;
            }
        }
    }
}
