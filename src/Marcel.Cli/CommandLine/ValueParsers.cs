using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Marcel.Cli.Resources;
using Marcel.Core.Framing;

namespace Marcel.Cli.CommandLine;

/// <summary>
/// Gives every typed option and argument of the tree a parser whose error names the option and what it accepts, in the
/// user's language (System.CommandLine's own says "as expected type 'System.Int32'"), and keeps validators from
/// crashing on a value that did not parse (they read it with <c>GetValueOrDefault</c>, which throws then).
/// </summary>
internal static class ValueParsers
{
    /// <summary>Installs the parsers and guards on <paramref name="command"/> and every command under it.</summary>
    public static void Install(Command command)
    {
        foreach (Option option in command.Options)
        {
            Install(option);
        }

        foreach (Argument argument in command.Arguments)
        {
            Install(argument);
        }

        command.Validators.Add(RejectOptionsTakenAsArguments);
        foreach (Command subcommand in command.Subcommands)
        {
            Install(subcommand);
        }
    }

    /// <summary>The message for a value that is not what <paramref name="name"/> accepts.</summary>
    public static string Invalid(string name, string value, string accepts) =>
        string.Format(CultureInfo.CurrentCulture, CliStrings.InvalidValue, name, value, accepts);

    private static void Install(Option option)
    {
        switch (option)
        {
            case Option<int> whole:
                whole.CustomParser ??= Parser(option.Name, whole.DefaultValueFactory, CliStrings.AcceptsWholeNumber, ParseInt);
                break;
            case Option<int?> whole:
                whole.CustomParser ??= NullableParser(option.Name, whole.DefaultValueFactory, CliStrings.AcceptsWholeNumber, ParseInt);
                break;
            case Option<long?> whole:
                whole.CustomParser ??= NullableParser(option.Name, whole.DefaultValueFactory, CliStrings.AcceptsWholeNumber, ParseLong);
                break;
            case Option<double> number:
                number.CustomParser ??= Parser(option.Name, number.DefaultValueFactory, CliStrings.AcceptsNumber, ParseDouble);
                break;
            case Option<double?> number:
                number.CustomParser ??= NullableParser(option.Name, number.DefaultValueFactory, CliStrings.AcceptsNumber, ParseDouble);
                break;
            case Option<LineEnding> ending:
                ending.CustomParser ??= Parser(option.Name, ending.DefaultValueFactory, CliStrings.AcceptsLineEnding, ParseLineEnding);
                break;
            case { ValueType: var type } when type == typeof(string) || type == typeof(string[]) || type == typeof(bool) || type == typeof(void):
                // Any text will do; a flag (and --help, typed void) takes no value.
                break;
            default:
                // Without a parser of ours, a bad value would be told as "expected type 'System.…'": fail at the first
                // run, in every test, rather than in front of a user.
                throw new InvalidOperationException($"{option.Name}: no value parser for {option.ValueType}; add one to ValueParsers.");
        }

        Guard(option.Validators);
    }

    private static void Install(Argument argument)
    {
        switch (argument)
        {
            case Argument<int> whole:
                whole.CustomParser ??= Parser(argument.Name, whole.DefaultValueFactory, CliStrings.AcceptsWholeNumber, ParseInt);
                break;
            case { ValueType: var type } when type == typeof(string) || type == typeof(string[]):
                break;
            default:
                throw new InvalidOperationException($"{argument.Name}: no value parser for {argument.ValueType}; add one to ValueParsers.");
        }

        Guard(argument.Validators);
    }

    /// <summary>A parser of one token that reports what the option accepts when <paramref name="parse"/> returns null.</summary>
    public static Func<ArgumentResult, T?> NullableParser<T>(string name, Func<ArgumentResult, T?>? defaultValue, string accepts, Func<string, T?> parse)
        where T : struct
    {
        return result =>
        {
            if (result.Tokens.Count == 0)
            {
                return defaultValue?.Invoke(result);
            }

            string text = result.Tokens[^1].Value;
            T? value = parse(text);
            if (value is null)
            {
                result.AddError(Invalid(name, text, accepts));
            }

            return value;
        };
    }

    /// <summary>As <see cref="NullableParser"/>, for an option that always has a value.</summary>
    public static Func<ArgumentResult, T> Parser<T>(string name, Func<ArgumentResult, T>? defaultValue, string accepts, Func<string, T?> parse)
        where T : struct
    {
        Func<ArgumentResult, T?> nullable = NullableParser(name, defaultValue is null ? null : r => defaultValue(r), accepts, parse);
        return result => nullable(result) ?? default;
    }

    /// <summary>A whole number as people type it: no thousands separators, an optional sign.</summary>
    public static int? ParseInt(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>As <see cref="ParseInt"/>, for byte counts and offsets past 2 GiB.</summary>
    public static long? ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;

    /// <summary>A decimal number with a point (as curl's <c>-m 0.5</c>), whatever the user's locale.</summary>
    public static double? ParseDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value : null;

    private static LineEnding? ParseLineEnding(string text) => text.ToLowerInvariant() switch
    {
        "lf" => LineEnding.Lf,
        "crlf" => LineEnding.CrLf,
        "none" => LineEnding.None,
        _ => null,
    };

    /// <summary>
    /// A validator reads the value with <c>GetValueOrDefault</c>, which throws when it did not parse; the parse error is
    /// already reported, so the validator has nothing to add.
    /// </summary>
    private static void Guard<TResult>(List<Action<TResult>> validators)
    {
        for (int i = 0; i < validators.Count; i++)
        {
            Action<TResult> validator = validators[i];
            validators[i] = result =>
            {
                try
                {
                    validator(result);
                }
                catch (InvalidOperationException)
                {
                    // The value did not parse: its own error says so.
                }
            };
        }
    }

    /// <summary>
    /// System.CommandLine hands an unknown option to a free argument (<c>marcel fetch -Z</c> would fetch a host named
    /// "-Z"): a command argument that looks like an option is reported as the unknown option it is.
    /// </summary>
    private static void RejectOptionsTakenAsArguments(CommandResult result)
    {
        foreach (Argument argument in result.Command.Arguments)
        {
            foreach (Token token in result.GetResult(argument)?.Tokens ?? [])
            {
                if (LooksLikeOption(token.Value))
                {
                    result.AddError(string.Format(CultureInfo.CurrentCulture, CliStrings.UnknownOption, token.Value));
                }
            }
        }
    }

    /// <summary>A dash and something that is not a number (<c>-1</c> is a bad port, not an option).</summary>
    public static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && ParseDouble(token) is null;
}
